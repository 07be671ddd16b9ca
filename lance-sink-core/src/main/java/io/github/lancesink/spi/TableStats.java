package io.github.lancesink.spi;

import java.util.List;

/**
 * The shape of a table at one version. A value the port cannot compute cheaply is {@code -1}.
 *
 * @param version the latest version
 * @param versions how many versions are still readable
 * @param fragments live fragments
 * @param rows live rows (deleted rows excluded)
 * @param deletedRows rows marked deleted but not yet compacted away
 * @param unindexedRows rows not covered by the vector index (all rows when there is none)
 * @param indexDeltas delta segments of the vector index (0 when there is none)
 * @param fragmentRows physical rows of each live fragment in dataset order, or empty when the
 *     port does not report them (maintenance then compacts by fragment count alone)
 * @param fragmentIds the id of each live fragment in dataset order (ids grow: a fragment
 *     appended or rewritten later has a larger id), or empty when the port does not report them
 *     (maintenance then never restricts a merge to fragments an index build does not read)
 * @since 0.1.0
 */
public record TableStats(
    long version,
    long versions,
    long fragments,
    long rows,
    long deletedRows,
    long unindexedRows,
    long indexDeltas,
    List<Long> fragmentRows,
    List<Long> fragmentIds) {

  public TableStats {
    fragmentRows = List.copyOf(fragmentRows);
    fragmentIds = List.copyOf(fragmentIds);
  }

  /** Stats with per-fragment sizes but no fragment ids. */
  public TableStats(long version, long versions, long fragments, long rows, long deletedRows,
      long unindexedRows, long indexDeltas, List<Long> fragmentRows) {
    this(version, versions, fragments, rows, deletedRows, unindexedRows, indexDeltas,
        fragmentRows, List.of());
  }

  /** Stats without per-fragment sizes. */
  public TableStats(long version, long versions, long fragments, long rows, long deletedRows,
      long unindexedRows, long indexDeltas) {
    this(version, versions, fragments, rows, deletedRows, unindexedRows, indexDeltas, List.of());
  }

  /** Stats of a table that does not exist yet. */
  public static TableStats absent() {
    return new TableStats(0, 0, 0, 0, 0, 0, 0);
  }
}
