package io.github.lancesink.partition;

import io.github.lancesink.internal.partition.LocalLister;
import java.nio.file.Path;
import java.util.List;

/**
 * Lists every file under a partitioned base path, recursively. The Spark runner lists through
 * Hadoop's {@code FileSystem} (local, HDFS, S3A...); {@link #localDirectory(Path)} lists a local
 * directory without Hadoop.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface PartitionLister {

  /**
   * Every file under the base path, with paths relative to it. An absent base path lists as
   * empty.
   *
   * @throws java.io.UncheckedIOException when the listing fails
   */
  List<SourceFile> list();

  /** A lister over a local directory. */
  static PartitionLister localDirectory(Path base) {
    return new LocalLister(base);
  }
}
