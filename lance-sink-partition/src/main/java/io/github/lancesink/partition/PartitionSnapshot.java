package io.github.lancesink.partition;

import io.github.lancesink.internal.partition.Fingerprints;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * One partition as one listing saw it.
 *
 * @param time the partition's start time (from its path)
 * @param path the partition path relative to the base path, e.g. {@code
 *     dt=2026-05-04/hour=10/minute=05}
 * @param dataFiles the data files, sorted by path; hidden files (names starting with {@code _}
 *     or {@code .}) are not data files
 * @param successMarker whether the success marker file ({@value #SUCCESS_MARKER}) is present
 * @since 0.1.0
 */
public record PartitionSnapshot(
    Instant time, String path, List<SourceFile> dataFiles, boolean successMarker) {

  /** The success marker file name that writers such as Spark and Hadoop leave when done. */
  public static final String SUCCESS_MARKER = "_SUCCESS";

  public PartitionSnapshot {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(path, "path");
    dataFiles = dataFiles.stream().sorted(Comparator.comparing(SourceFile::relativePath))
        .toList();
  }

  /**
   * A short hash of the data files' paths and sizes. Two listings with the same fingerprint saw
   * the same files; a changed fingerprint means a file was added, removed or rewritten.
   */
  public String fingerprint() {
    return Fingerprints.of(dataFiles);
  }

  /** The number of data files. */
  public int fileCount() {
    return dataFiles.size();
  }
}
