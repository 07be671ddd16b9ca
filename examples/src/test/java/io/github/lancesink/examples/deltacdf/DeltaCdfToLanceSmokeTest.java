package io.github.lancesink.examples.deltacdf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lance.Dataset;
import org.lance.ipc.LanceScanner;
import org.lance.ipc.ScanOptions;

/**
 * Runs a tiny delta-cdf-to-lance demo in-process on real Spark local[2], real Delta and real
 * Lance, then reads both tables back WITHOUT the example's own code and compares them.
 */
@Tag(ExampleTests.NEEDS_CDC)
class DeltaCdfToLanceSmokeTest {
  static final Settings TINY = Settings.parse("--seed-docs", "40", "--rounds", "2",
      "--inserts", "6", "--updates", "5", "--deletes", "4", "--trigger-ms", "200", "--top-k",
      "3");

  @TempDir Path dir;

  @AfterAll
  static void stopSpark() {
    SparkSession.active().stop();
  }

  /**
   * Purpose: the template job keeps Lance equal to Delta through inserts, updates and deletes.
   * Steps: run the demo with 40 seed docs and two rounds of 6 inserts, 5 updates and 4 deletes.
   * Pass: exit code 0; the output shows the progress line and passing searches; Lance, read with
   * the plain Lance API, holds exactly Delta's rows (key, revision, text, vector), every vector
   * is the stand-in embedding of its text, updated docs are at revision 1 and deleted keys are
   * gone.
   */
  @Test
  void lanceEqualsDeltaAfterInsertsUpdatesAndDeletes() throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    Terminal out = new Terminal(new PrintStream(buf, true, StandardCharsets.UTF_8), false);

    int code = DeltaCdfToLance.run(TINY, DeltaCdfToLance.session(), dir, out);

    String printed = buf.toString(StandardCharsets.UTF_8);
    System.out.println(printed); // kept in target/surefire-reports/*-output.txt
    assertThat(code).as(printed).isZero();
    assertThat(printed).contains("CHECK [ok]").doesNotContain("[FAIL]");
    // the progress line's values, not its labels (which it always prints)
    java.util.regex.Matcher m = java.util.regex.Pattern.compile(
        java.util.regex.Pattern.quote(Terminal.STATUS_TAG) + "batches (\\d+) \\| change rows"
            + " ([\\d,]+) \\| lance v(\\d+) \\| freshness lag \\d+\\.\\d s \\| maintenance: \\S")
        .matcher(printed);
    String lastLine = null;
    long changeRows = 0;
    while (m.find()) {
      lastLine = m.group();
      long batches = Long.parseLong(m.group(1));
      changeRows = Long.parseLong(m.group(2).replace(",", ""));
      assertThat(batches).as(lastLine).isPositive();
      assertThat(Long.parseLong(m.group(3))).as(lastLine).isGreaterThanOrEqualTo(batches);
    }
    assertThat(lastLine).as("a progress line with a measured freshness lag in:%n%s", printed)
        .isNotNull();
    assertThat(changeRows).as(lastLine).isGreaterThanOrEqualTo(40 + 2 * 6); // seeded + inserted
    Map<Long, List<Object>> delta = deltaRows(dir.resolve("docs_delta"));
    Map<Long, List<Object>> lance = lanceRows(dir.resolve("docs.lance"));
    // 40 seeded + 2 x 6 inserted - 2 x 4 deleted
    assertThat(delta).hasSize(44);
    assertThat(lance).isEqualTo(delta);
    HashingEmbedder embedder = new HashingEmbedder(DeltaCdfToLance.DIMENSION);
    lance.values().forEach(v -> assertThat(v.get(2)).isEqualTo(
        boxed(embedder.embed((String) v.get(1)))));
    Map<Long, List<Object>> model = expected(embedder);
    assertThat(delta).isEqualTo(model);
    assertThat(model.values()).filteredOn(v -> (Integer) v.get(0) > 0).isNotEmpty();
    assertThat(model.keySet().stream().filter(k -> k < 40)).hasSizeLessThan(40);
  }

  /** The source's expected final state: the generator's changes replayed on a map. */
  static Map<Long, List<Object>> expected(HashingEmbedder embedder) {
    DocumentGenerator gen = new DocumentGenerator(embedder);
    Map<Long, Doc> state = new TreeMap<>();
    gen.seed(TINY.seedDocs()).forEach(c -> state.put(c.doc().id(), c.doc()));
    for (int r = 1; r <= TINY.rounds(); r++) {
      Map<Long, Integer> revisions = new TreeMap<>();
      state.forEach((k, d) -> revisions.put(k, d.rev()));
      for (DocumentGenerator.Change c : gen.round(r, revisions, TINY.inserts(),
          TINY.updates(), TINY.deletes())) {
        if (c.op() == DocumentGenerator.Op.DELETE) {
          state.remove(c.doc().id());
        } else {
          state.put(c.doc().id(), c.doc());
        }
      }
    }
    Map<Long, List<Object>> out = new TreeMap<>();
    state.forEach((k, d) -> out.put(k, List.of(d.rev(), d.text(), boxed(d.vector()))));
    return out;
  }

  static Map<Long, List<Object>> deltaRows(Path path) {
    Map<Long, List<Object>> out = new TreeMap<>();
    for (Row r : SparkSession.active().read().format("delta").load(path.toString())
        .collectAsList()) {
      List<Float> v = new ArrayList<>(r.getList(3));
      out.put(r.getLong(0), List.of(r.getInt(1), r.getString(2), v));
    }
    return out;
  }

  static Map<Long, List<Object>> lanceRows(Path path) throws Exception {
    Map<Long, List<Object>> out = new TreeMap<>();
    try (RootAllocator allocator = new RootAllocator();
        Dataset ds = Dataset.open(path.toString(), allocator);
        LanceScanner scanner = ds.newScan(new ScanOptions.Builder()
            .columns(List.of("id", "rev", "text", "vector")).build());
        ArrowReader reader = scanner.scanBatches()) {
      assertThat(ds.getSchema().getFields()).extracting(f -> f.getName())
          .containsExactly("id", "rev", "text", "vector");
      while (reader.loadNextBatch()) {
        VectorSchemaRoot root = reader.getVectorSchemaRoot();
        for (int r = 0; r < root.getRowCount(); r++) {
          List<Float> v = new ArrayList<>();
          ((List<?>) root.getVector("vector").getObject(r)).forEach(f -> v.add((Float) f));
          assertThat(v).hasSize(DeltaCdfToLance.DIMENSION);
          List<Object> prev = out.put((Long) root.getVector("id").getObject(r), List.of(
              root.getVector("rev").getObject(r),
              String.valueOf(root.getVector("text").getObject(r)), v));
          assertThat(prev).as("duplicate key in Lance").isNull();
        }
      }
    }
    return out;
  }

  static List<Float> boxed(float[] f) {
    List<Float> out = new ArrayList<>(f.length);
    for (float x : f) {
      out.add(x);
    }
    return out;
  }
}
