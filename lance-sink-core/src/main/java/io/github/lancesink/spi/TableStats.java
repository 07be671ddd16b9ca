package io.github.lancesink.spi;

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
 * @since 0.1.0
 */
public record TableStats(
    long version,
    long versions,
    long fragments,
    long rows,
    long deletedRows,
    long unindexedRows,
    long indexDeltas) {

  /** Stats of a table that does not exist yet. */
  public static TableStats absent() {
    return new TableStats(0, 0, 0, 0, 0, 0, 0);
  }
}
