package io.github.lancesink.spi;

/**
 * What {@link LanceTable#commitKeyed} committed.
 *
 * @param version the new version
 * @param removedRows stored rows removed (replaced or deleted) by the commit
 * @param absentDeletes deleted keys that had no stored row (a no-op, counted)
 * @since 0.1.0
 */
public record KeyedCommit(long version, long removedRows, long absentDeletes) {
  /**
   * Transaction property under which a port records {@link #removedRows} in the same commit,
   * when the caller's properties are not empty (so a caller that lost the reply and found the
   * commit in the table can still report the count).
   *
   * @since 0.1.0
   */
  public static final String REMOVED_ROWS_PROPERTY = "lancesink.removed-rows";

  /**
   * Transaction property under which a port records {@link #absentDeletes}, like {@link
   * #REMOVED_ROWS_PROPERTY}.
   *
   * @since 0.1.0
   */
  public static final String ABSENT_DELETES_PROPERTY = "lancesink.absent-deletes";

  /**
   * {@code properties} plus the two counts, or {@code properties} itself when it is empty.
   *
   * @since 0.1.0
   */
  public static java.util.Map<String, String> withCounts(
      java.util.Map<String, String> properties, long removedRows, long absentDeletes) {
    if (properties.isEmpty()) {
      return properties;
    }
    java.util.Map<String, String> all = new java.util.HashMap<>(properties);
    all.put(REMOVED_ROWS_PROPERTY, Long.toString(removedRows));
    all.put(ABSENT_DELETES_PROPERTY, Long.toString(absentDeletes));
    return all;
  }
}
