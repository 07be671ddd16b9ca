package io.github.lancesink.partition;

import java.time.Instant;
import java.util.Objects;

/**
 * One file found under a partitioned base path.
 *
 * @param relativePath the path relative to the base path, '/'-separated, e.g. {@code
 *     dt=2026-05-04/hour=10/minute=05/part-0.parquet}
 * @param size the size in bytes
 * @param modified the last modification time reported by the file system
 * @since 0.1.0
 */
public record SourceFile(String relativePath, long size, Instant modified) {
  public SourceFile {
    Objects.requireNonNull(relativePath, "relativePath");
    Objects.requireNonNull(modified, "modified");
    if (size < 0) {
      throw new IllegalArgumentException("size must be >= 0, was " + size);
    }
  }

  /** The file name (the last path segment). */
  public String name() {
    int i = relativePath.lastIndexOf('/');
    return i < 0 ? relativePath : relativePath.substring(i + 1);
  }
}
