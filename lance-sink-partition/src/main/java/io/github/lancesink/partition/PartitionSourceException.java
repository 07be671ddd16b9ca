package io.github.lancesink.partition;

import io.github.lancesink.LanceSinkException;

/**
 * A partition could not be read: an unreadable or corrupt file, or a failed listing. The
 * message names the path. Nothing of the partition was committed.
 *
 * @since 0.1.0
 */
public class PartitionSourceException extends LanceSinkException {
  private static final long serialVersionUID = 1L;

  private final String path;

  public PartitionSourceException(String path, String message, Throwable cause) {
    super(message, cause);
    this.path = path;
  }

  /** The partition (or file) path that failed, relative to the base path when known. */
  public String path() {
    return path;
  }
}
