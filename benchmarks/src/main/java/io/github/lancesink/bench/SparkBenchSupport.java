package io.github.lancesink.bench;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Shared setup of the Spark benchmarks: local[2] with Delta. */
final class SparkBenchSupport {
  private SparkBenchSupport() {}

  static SparkSession session() {
    SparkSession spark = SparkSession.builder().master("local[2]").appName("lance-sink-bench")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog",
            "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    return spark;
  }

  /** Rows [from, to): id, name = 'item-<id>', vector[j] = (float) (id * 0.5 + j). */
  static Dataset<Row> rows(SparkSession spark, long from, long to, int dim, int partitions) {
    return spark.range(from, to, 1, partitions).selectExpr("id",
        "concat('item-', id) AS name",
        "transform(sequence(0, " + (dim - 1) + "), i -> CAST(id * 0.5 + i AS FLOAT)) AS vector");
  }
}
