package io.github.lancesink.examples.deltacdf;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lancesink.examples.deltacdf.DocumentGenerator.Change;
import io.github.lancesink.examples.deltacdf.DocumentGenerator.Listing;
import io.github.lancesink.examples.deltacdf.DocumentGenerator.Op;
import io.github.lancesink.examples.deltacdf.Listings.Featured;
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
import org.lance.ipc.Query;
import org.lance.ipc.ScanOptions;

/**
 * Runs a small delta-cdf-to-lance demo in-process with the REAL embedding model on real Spark
 * local[2], real Delta and real Lance, then reads both tables back WITHOUT the example's own
 * code and checks the values: rows, vectors, model names and searches by paraphrase.
 */
@Tag(ExampleTests.NEEDS_CDC)
class DeltaCdfToLanceSmokeTest {
  static final Settings SMALL = Settings.parse("--seed-docs", "40", "--rounds", "2",
      "--inserts", "6", "--updates", "5", "--deletes", "4", "--trigger-ms", "200", "--top-k",
      "3");

  @TempDir Path dir;

  @AfterAll
  static void stopSpark() {
    SparkSession.active().stop();
  }

  /**
   * Purpose: the template job keeps Lance equal to Delta through inserts, updates and deletes,
   * with vectors from the real model, and a search by meaning sees every change. Steps: run the
   * demo (default embedder: all-MiniLM-L6-v2) with 40 seed listings and two rounds of 6
   * inserts, 5 updates and 4 deletes. Pass: exit code 0; Lance, read with the plain Lance API,
   * holds exactly Delta's rows (key, revision, text), each with the model's embedding of its
   * text and the model's name and version; each one-of-a-kind listing the rounds wrote is found
   * by its paraphrase at rank 3 or better, and each one the rounds deleted is absent and not
   * returned for its paraphrase.
   */
  @Test
  void realModelKeepsLanceEqualToDeltaAndFindsChangesByParaphrase() throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    Terminal out = new Terminal(new PrintStream(buf, true, StandardCharsets.UTF_8), false);

    int code = DeltaCdfToLance.run(SMALL, DeltaCdfToLance.session(), dir, out);

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
    Path lancePath = dir.resolve("docs.lance");
    Map<Long, List<Object>> lance = lanceRows(lancePath);
    // 40 seeded + 2 x 6 inserted - 2 x 4 deleted
    assertThat(delta).hasSize(44);
    Map<Long, Listing> expected = expectedState(SMALL);
    Map<Long, List<Object>> expectedRows = new TreeMap<>();
    expected.forEach((k, l) -> expectedRows.put(k, List.of(l.rev(), l.text())));
    assertThat(delta).isEqualTo(expectedRows);
    Map<Long, List<Object>> lanceText = new TreeMap<>();
    lance.forEach((k, v) -> lanceText.put(k, v.subList(0, 2)));
    assertThat(lanceText).isEqualTo(delta);

    MiniLmEmbedder model = new MiniLmEmbedder();
    lance.values().forEach(v -> {
      assertThat(v.get(2)).isEqualTo(boxed(model.embed((String) v.get(1))));
      assertThat(v.get(3)).isEqualTo("all-minilm-l6-v2-q@1.19.0-beta29");
    });

    List<Long> written = new ArrayList<>();
    expected.values().stream().filter(l -> Listings.featuredIndex(l.text()) >= 0)
        .forEach(l -> written.add(l.id()));
    // round 1 and round 2 each rewrite one listing and insert one; round 2 deletes round 1's
    assertThat(written).hasSize(2);
    for (long id : written) {
      Featured f = Listings.FEATURED.get(Listings.featuredIndex(expected.get(id).text()));
      assertThat(nearest(lancePath, model.embed(f.query()), 3)).as(f.query()).contains(id);
    }
    Map<Long, Featured> deleted = deletedFeatured(SMALL);
    assertThat(deleted).hasSize(3); // the seed's listing 0 and round 1's two
    deleted.forEach((id, f) -> {
      assertThat(lance).doesNotContainKey(id);
      assertThat(nearest(lancePath, model.embed(f.query()), 10)).as(f.query())
          .doesNotContain(id);
    });
  }

  /** The keys of the {@code k} nearest rows to {@code query}, read with the plain Lance API. */
  static List<Long> nearest(Path path, float[] query, int k) {
    List<Long> ids = new ArrayList<>();
    try (RootAllocator allocator = new RootAllocator();
        Dataset ds = Dataset.open(path.toString(), allocator);
        LanceScanner scanner = ds.newScan(new ScanOptions.Builder()
            .nearest(new Query.Builder().setColumn("vector").setKey(query).setK(k).build())
            .columns(List.of("id", "_distance")).build());
        ArrowReader reader = scanner.scanBatches()) {
      while (reader.loadNextBatch()) {
        VectorSchemaRoot root = reader.getVectorSchemaRoot();
        for (int r = 0; r < root.getRowCount(); r++) {
          ids.add((Long) root.getVector("id").getObject(r));
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return ids;
  }

  /** The source's expected final state: the generator's changes replayed on a map. */
  static Map<Long, Listing> expectedState(Settings s) {
    return replay(s, (c, st) -> { });
  }

  /** The one-of-a-kind listings the rounds deleted, by key. */
  static Map<Long, Featured> deletedFeatured(Settings s) {
    Map<Long, Featured> out = new TreeMap<>();
    replay(s, (c, st) -> {
      if (c.op() == Op.DELETE) {
        c.featured().ifPresent(f -> out.put(c.listing().id(), f));
      }
    });
    return out;
  }

  private interface Visitor {
    void visit(Change c, Map<Long, Listing> state);
  }

  private static Map<Long, Listing> replay(Settings s, Visitor v) {
    DocumentGenerator gen = new DocumentGenerator();
    Map<Long, Listing> state = new TreeMap<>();
    gen.seed(s.seedDocs()).forEach(c -> state.put(c.listing().id(), c.listing()));
    for (int r = 1; r <= s.rounds(); r++) {
      for (Change c : gen.round(r, new TreeMap<>(state), s.inserts(), s.updates(),
          s.deletes())) {
        v.visit(c, state);
        if (c.op() == Op.DELETE) {
          state.remove(c.listing().id());
        } else {
          state.put(c.listing().id(), c.listing());
        }
      }
    }
    return state;
  }

  static Map<Long, List<Object>> deltaRows(Path path) {
    Map<Long, List<Object>> out = new TreeMap<>();
    for (Row r : SparkSession.active().read().format("delta").load(path.toString())
        .collectAsList()) {
      out.put(r.getLong(0), List.of(r.getInt(1), r.getString(2)));
    }
    return out;
  }

  /** Key -> [rev, text, vector, model], read with the plain Lance API. */
  static Map<Long, List<Object>> lanceRows(Path path) throws Exception {
    Map<Long, List<Object>> out = new TreeMap<>();
    try (RootAllocator allocator = new RootAllocator();
        Dataset ds = Dataset.open(path.toString(), allocator);
        LanceScanner scanner = ds.newScan(new ScanOptions.Builder()
            .columns(List.of("id", "rev", "text", "vector", "embedding_model")).build());
        ArrowReader reader = scanner.scanBatches()) {
      assertThat(ds.getSchema().getFields()).extracting(f -> f.getName())
          .containsExactly("id", "rev", "text", "vector", "embedding_model");
      while (reader.loadNextBatch()) {
        VectorSchemaRoot root = reader.getVectorSchemaRoot();
        for (int r = 0; r < root.getRowCount(); r++) {
          List<Float> v = new ArrayList<>();
          ((List<?>) root.getVector("vector").getObject(r)).forEach(f -> v.add((Float) f));
          assertThat(v).hasSize(DeltaCdfToLance.DIMENSION);
          List<Object> prev = out.put((Long) root.getVector("id").getObject(r), List.of(
              root.getVector("rev").getObject(r),
              String.valueOf(root.getVector("text").getObject(r)), v,
              String.valueOf(root.getVector("embedding_model").getObject(r))));
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
