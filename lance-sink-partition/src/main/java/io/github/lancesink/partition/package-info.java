/**
 * Time-partitioned file sources: partition layouts, completeness rules, lag and late-data
 * policies, and the results and events of a partition-driven runner. Engine-agnostic; the Spark
 * runner lives in {@code io.github.lancesink.spark.partition}.
 *
 * @since 0.1.0
 */
package io.github.lancesink.partition;
