package io.github.lancesink.spi;

import java.util.Objects;

/**
 * One index of a table as the port sees it.
 *
 * @param name the index name
 * @param column the indexed column
 * @param kind vector or scalar
 * @param indexedRows rows covered by the index (all segments)
 * @param segments index segments: 1 after a build or merge, more after delta refreshes
 * @since 0.1.0
 */
public record IndexState(String name, String column, Kind kind, long indexedRows, int segments) {

  /** Vector (ANN) or scalar (key lookup) index. */
  public enum Kind {
    VECTOR,
    SCALAR
  }

  public IndexState {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(column, "column");
    Objects.requireNonNull(kind, "kind");
  }

  /** Delta segments beyond the first. */
  public int deltas() {
    return Math.max(0, segments - 1);
  }
}
