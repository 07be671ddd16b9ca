package io.github.lancesink.partition;

import io.github.lancesink.spi.BatchSource;

/**
 * Turns one complete partition into the {@link BatchSource} the sink writes: the way an engine
 * brings its own reader and writer (the Spark runner reads Parquet with Spark and writes
 * fragments on the executors). The runner adds the partition's identity to the commit. For a
 * plain Arrow reader use {@link PartitionReader} instead.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface PartitionSource {

  /**
   * The source of {@code partition}'s rows.
   *
   * @throws PartitionSourceException when the partition (or one of its files) cannot be read;
   *     the source may also throw it later, while the sink stages it
   */
  BatchSource open(PartitionSnapshot partition);
}
