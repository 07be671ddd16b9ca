package io.github.lancesink;

/**
 * Whether a batch may carry columns the table does not have yet.
 *
 * @since 0.1.0
 */
public enum SchemaEvolution {
  /** Default. The batch schema must equal the table schema; no casts, no new columns. */
  STRICT,
  /**
   * New nullable columns in the batch are added to the table before the commit. Existing
   * columns must still match exactly; rows already stored read the new column as null.
   */
  ADD_NULLABLE_COLUMNS
}
