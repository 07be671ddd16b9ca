package io.github.lancesink.spark.partition;

import io.github.lancesink.internal.Marker;
import io.github.lancesink.lance.NativeLanceTable;
import io.github.lancesink.spi.BatchSource;
import io.github.lancesink.spi.VersionProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.spark.sql.SparkSession;

/** Real Parquet partitions in a temp dir, written by Spark, and Lance read-back for the tests. */
final class PartitionFiles {
  static final Instant T0 = Instant.parse("2026-05-04T10:00:00Z");
  static final int DIM = 4;

  private final SparkSession spark;
  private final Path base;
  private final Path scratch;
  private int seq;

  PartitionFiles(SparkSession spark, Path base, Path scratch) {
    this.spark = spark;
    this.base = base;
    this.scratch = scratch;
  }

  static SparkSession session() {
    return SparkSession.builder()
        .master("local[2]")
        .appName("lance-sink-partition-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate();
  }

  static Instant minute(int m) {
    return T0.plus(Duration.ofMinutes(m));
  }

  static String path(int m) {
    return io.github.lancesink.partition.PartitionLayout.defaults().format(minute(m));
  }

  /** The ids a file of partition minute {@code m} number {@code file} holds: m*1000+file*100+i. */
  static List<Long> ids(int m, int file, int rows) {
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      out.add(m * 1000L + file * 100L + i);
    }
    return out;
  }

  /** Writes one Parquet file into partition minute {@code m} (no marker). */
  Path file(int m, int file, int rows) {
    long from = m * 1000L + file * 100L;
    Path out = scratch.resolve("w" + (seq++));
    spark.range(from, from + rows).selectExpr("id", "'" + path(m) + "' AS grp",
        "transform(sequence(0, " + (DIM - 1) + "), i -> CAST(id + i AS FLOAT)) AS vector")
        .coalesce(1).write().parquet(out.toString());
    try (Stream<Path> s = Files.list(out)) {
      Path part = s.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst()
          .orElseThrow();
      Path dir = Files.createDirectories(base.resolve(path(m)));
      return Files.move(part, dir.resolve("part-" + file + ".parquet"),
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A complete partition: one file of {@code rows} rows and a _SUCCESS marker. */
  void complete(int m, int rows) {
    file(m, 0, rows);
    marker(m);
  }

  void marker(int m) {
    try {
      Files.createDirectories(base.resolve(path(m)));
      Files.writeString(base.resolve(path(m)).resolve("_SUCCESS"), "");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes raw bytes as a file (e.g. a corrupt "parquet" file). */
  Path raw(String relative, String content) {
    try {
      Path p = base.resolve(relative);
      Files.createDirectories(p.getParent());
      return Files.writeString(p, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every id in the Lance table (duplicates kept), sorted. */
  static List<Long> lanceIds(String uri) {
    List<Long> out = new ArrayList<>();
    try (NativeLanceTable t = new NativeLanceTable(uri, Map.of())) {
      if (t.latestVersion().isEmpty()) {
        return out;
      }
      try (ArrowReader r = t.scan(OptionalLong.empty(), List.of("id"))) {
        while (r.loadNextBatch()) {
          FieldVector v = r.getVectorSchemaRoot().getVector("id");
          for (int i = 0; i < r.getVectorSchemaRoot().getRowCount(); i++) {
            out.add((Long) v.getObject(i));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.sort(null);
    return out;
  }

  /** Per version, oldest first: "writer:batch:partition" of every lance-sink commit. */
  static List<String> commits(String uri) {
    List<String> out = new ArrayList<>();
    try (NativeLanceTable t = new NativeLanceTable(uri, Map.of())) {
      long latest = t.latestVersion().orElse(0);
      for (long v = 1; v <= latest; v++) {
        VersionProperties p = t.properties(v);
        if (p.kind() != VersionProperties.Kind.PRESENT) {
          continue;
        }
        var m = Marker.parse(p.properties());
        m.ifPresent(mk -> out.add(mk.writerId() + ":" + mk.batchId() + ":"
            + p.properties().get(BatchSource.SOURCE_PROPERTY_PREFIX + "partition")));
      }
    }
    return out;
  }

  /** The batch id of partition minute {@code m}. */
  static long batch(int m) {
    return minute(m).getEpochSecond() / 60 * 1000; // epoch minutes, revision 0
  }
}
