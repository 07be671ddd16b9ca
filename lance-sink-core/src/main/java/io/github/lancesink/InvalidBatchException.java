package io.github.lancesink;

import java.util.Objects;

/**
 * The batch holds rows that cannot be written (null or NaN vector, wrong dimension, null or
 * duplicate key). Nothing of the batch was committed. The exception names the column, how many
 * rows are bad and the first bad row, so the source can be fixed.
 *
 * @since 0.1.0
 */
public class InvalidBatchException extends LanceSinkException {
  private static final long serialVersionUID = 1L;

  private final String column;
  private final long badRows;
  private final String firstBadRow;

  public InvalidBatchException(String message, String column, long badRows, String firstBadRow) {
    super(message, null);
    this.column = Objects.requireNonNull(column, "column");
    this.badRows = badRows;
    this.firstBadRow = firstBadRow;
  }

  /** The offending column. */
  public String column() {
    return column;
  }

  /** How many rows of the batch violate the rule. */
  public long badRows() {
    return badRows;
  }

  /** The key (or row ordinal when the mode has no key) of the first offending row. */
  public String firstBadRow() {
    return firstBadRow;
  }
}
