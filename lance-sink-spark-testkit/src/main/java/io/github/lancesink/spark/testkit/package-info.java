/**
 * Test support for Spark pipelines that write through lance-sink: {@link
 * io.github.lancesink.spark.testkit.SparkBatchDriver} runs a team's own {@code foreachBatch}
 * function against the in-memory fake with crashes and replays; {@link
 * io.github.lancesink.spark.testkit.LocalSpark}, {@link
 * io.github.lancesink.spark.testkit.TempLanceTable} and {@link
 * io.github.lancesink.spark.testkit.StreamingCheckpoints} help real-Spark tests.
 *
 * @since 0.1.0
 */
package io.github.lancesink.spark.testkit;
