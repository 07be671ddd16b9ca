/**
 * The partition-driven micro-batch runner: time-partitioned Parquet files processed one
 * complete partition per batch, with the watermark kept in the Lance table's own commits.
 *
 * @since 0.1.0
 */
package io.github.lancesink.spark.partition;
