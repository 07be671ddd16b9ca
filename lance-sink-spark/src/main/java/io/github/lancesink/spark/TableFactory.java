package io.github.lancesink.spark;

import io.github.lancesink.spi.LanceTable;
import java.io.Serializable;

/**
 * Opens a handle on the table a {@link LanceForeachBatch} writes to, instead of a {@code
 * tableUri}. Serializable because executors open their own handle to write fragments; the
 * driver opens one to commit. Each call returns a NEW handle that the caller closes, so a
 * factory over a shared table (e.g. the testkit's in-memory fake, which executors in local mode
 * reach through a static registry) must return a handle whose {@code close()} leaves the shared
 * table open.
 *
 * <pre>{@code
 * LanceForeachBatch fn = LanceForeachBatch.builder()
 *     .table(SparkTables.registered("items"))   // lance-sink-spark-testkit
 *     .writerId("items-sync").build();
 * }</pre>
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface TableFactory extends Serializable {

  /** A new handle on the table; the caller closes it. */
  LanceTable open();
}
