package io.github.lancesink.examples.partitioned;

import io.github.lancesink.LanceSinkSettings;
import io.github.lancesink.WriteMode;
import io.github.lancesink.examples.deltacdf.HashingEmbedder;
import io.github.lancesink.partition.CompletenessRule;
import io.github.lancesink.partition.CycleResult;
import io.github.lancesink.partition.LagPolicy;
import io.github.lancesink.partition.PartitionLayout;
import io.github.lancesink.spark.partition.SparkPartitionRunner;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.lance.Dataset;
import org.lance.ipc.LanceScanner;
import org.lance.ipc.ScanOptions;

/**
 * TEMPLATE JOB: time-partitioned Parquet files ({@code dt=.../hour=.../minute=...}) into Lance,
 * one complete partition per batch, with exactly-once effect and no Spark checkpoint (the
 * watermark lives in the Lance table).
 *
 * <p>The demo writes one minute partition at a time into a local "landing" directory (Spark
 * writes {@code _SUCCESS} last), runs one {@link SparkPartitionRunner#runOnce() cycle} after
 * each, prints what was processed, and finally checks that Lance holds exactly the rows of every
 * partition. Vectors come from {@link HashingEmbedder}, a stand-in, not a real model.
 *
 * @since 0.1.0
 */
public final class PartitionedFilesToLance {

  // CONFIGURATION. Change these for your pipeline.

  /** CHANGE: the stable dedup namespace of this pipeline (one per feed and dataset). */
  static final String WRITER_ID = "ads-partitions";

  /** CHANGE: your embedding column and dimension. */
  static final String VECTOR_COLUMN = "vector";

  static final int DIMENSION = 128;

  /** CHANGE: how your files are laid out; the default is dt=YYYY-MM-DD/hour=HH/minute=MM UTC. */
  static final PartitionLayout LAYOUT = PartitionLayout.defaults();

  /**
   * CHANGE: when a partition counts as complete. The demo's writer (Spark) writes _SUCCESS last
   * on a local disk; on object stores prefer {@code CompletenessRule.defaults()}, which also
   * waits for a stable listing.
   */
  static final CompletenessRule COMPLETENESS = CompletenessRule.successMarker();

  /** CHANGE: catchUp() when every partition counts (billing!), skipToLatest(..) for snapshots. */
  static final LagPolicy LAG = LagPolicy.catchUp();

  static final Instant START = Instant.parse("2026-05-04T10:00:00Z");
  private static final DateTimeFormatter DIR = DateTimeFormatter
      .ofPattern("'dt='uuuu-MM-dd'/hour='HH'/minute='mm").withZone(ZoneOffset.UTC);
  static final StructType SCHEMA = new StructType()
      .add("id", DataTypes.LongType, false)
      .add("text", DataTypes.StringType, false)
      .add(VECTOR_COLUMN, DataTypes.createArrayType(DataTypes.FloatType, false), false);

  private PartitionedFilesToLance() {}

  /** Runs the demo; returns 0 when Lance holds exactly the landed rows, 1 otherwise. */
  static int run(int partitions, int rowsPerPartition, SparkSession spark, Path workDir,
      PrintStream out) throws Exception {
    Path landing = workDir.resolve("landing");
    String lance = workDir.resolve("ads.lance").toString();
    HashingEmbedder embedder = new HashingEmbedder(DIMENSION);
    try (SparkPartitionRunner runner = SparkPartitionRunner.builder(spark)
        .settings(LanceSinkSettings.builder()
            .tableUri(lance)
            .writerId(WRITER_ID)
            .writeMode(WriteMode.append())
            .vectorColumn(VECTOR_COLUMN, DIMENSION)
            .build())
        .basePath(landing.toString()).layout(LAYOUT).completeness(COMPLETENESS).lagPolicy(LAG)
        .build()) {
      for (int p = 0; p < partitions; p++) {
        Instant minute = START.plusSeconds(60L * p);
        land(spark, landing.resolve(DIR.format(minute)), p, rowsPerPartition, embedder);
        CycleResult cycle = runner.runOnce();
        out.println("landed " + DIR.format(minute) + " -> processed " + cycle.processedPaths()
            + ", watermark " + cycle.watermarkAfter().map(Instant::toString).orElse("-")
            + (cycle.waiting().isEmpty() ? "" : ", waiting " + cycle.waiting()));
      }
    }
    Map<Long, List<Object>> expected = new TreeMap<>();
    for (int p = 0; p < partitions; p++) {
      for (Row r : rows(p, rowsPerPartition, embedder)) {
        expected.put(r.getLong(0), List.of(r.getString(1), r.get(2)));
      }
    }
    Map<Long, List<Object>> actual = lanceRows(lance);
    if (actual.equals(expected)) {
      out.println("CHECK [ok] Lance holds exactly the " + expected.size() + " rows of "
          + partitions + " partitions");
      return 0;
    }
    out.println("CHECK [FAIL] Lance has " + actual.size() + " rows, expected " + expected.size());
    return 1;
  }

  private static List<Row> rows(int partition, int n, HashingEmbedder embedder) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long id = partition * 1_000_000L + i;
      String text = "ad-" + id + " minute-" + partition + " offer";
      List<Float> v = new ArrayList<>();
      for (float f : embedder.embed(text)) {
        v.add(f);
      }
      rows.add(RowFactory.create(id, text, v));
    }
    return rows;
  }

  /** Writes one partition as Parquet; Spark writes _SUCCESS after the data files. */
  private static void land(SparkSession spark, Path dir, int partition, int n,
      HashingEmbedder embedder) {
    spark.createDataFrame(rows(partition, n, embedder), SCHEMA).coalesce(1).write()
        .parquet(dir.toString());
  }

  /** Every row of the Lance dataset (plain Lance API), by id: [text, vector]. */
  static Map<Long, List<Object>> lanceRows(String uri) throws Exception {
    Map<Long, List<Object>> out = new TreeMap<>();
    try (RootAllocator allocator = new RootAllocator();
        Dataset ds = Dataset.open(uri, allocator);
        LanceScanner scanner = ds.newScan(new ScanOptions.Builder()
            .columns(List.of("id", "text", VECTOR_COLUMN)).build());
        ArrowReader reader = scanner.scanBatches()) {
      while (reader.loadNextBatch()) {
        VectorSchemaRoot root = reader.getVectorSchemaRoot();
        for (int r = 0; r < root.getRowCount(); r++) {
          List<Float> v = new ArrayList<>();
          ((List<?>) root.getVector(VECTOR_COLUMN).getObject(r)).forEach(f -> v.add((Float) f));
          Object prev = out.put((Long) root.getVector("id").getObject(r),
              List.of(String.valueOf(root.getVector("text").getObject(r)), v));
          if (prev != null) {
            throw new IllegalStateException("duplicate id in " + uri);
          }
        }
      }
    }
    return out;
  }

  /** Entry point: {@code [partitions] [rows per partition]}, default 5 x 200. */
  public static void main(String[] args) throws Exception {
    int partitions = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int rows = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    Path work = Files.createTempDirectory("lance-sink-partitions-");
    SparkSession spark = SparkSession.builder().master("local[2]")
        .appName("partitioned-files-to-lance").config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2").getOrCreate();
    int code;
    try {
      code = run(partitions, rows, spark, work, System.out);
    } finally {
      spark.stop();
    }
    System.out.println("Work directory: " + work);
    System.exit(code);
  }
}
