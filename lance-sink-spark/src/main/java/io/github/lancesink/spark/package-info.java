/**
 * Spark Structured Streaming adapter: {@link io.github.lancesink.spark.LanceForeachBatch}, a
 * serializable {@code foreachBatch} function that writes Lance fragments on executors and
 * commits each micro-batch once, with exactly-once effect, through lance-sink-core.
 *
 * @since 0.1.0
 */
package io.github.lancesink.spark;
