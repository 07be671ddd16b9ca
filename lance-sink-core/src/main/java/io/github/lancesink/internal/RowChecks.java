package io.github.lancesink.internal;

import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;

/**
 * Row-level validation of one Arrow batch. Accumulates violations across batches so the final
 * error names the column, the total count and the first offending row.
 */
public final class RowChecks {

  /** The first violation found and how many rows violate it in total. */
  public static final class Violation {
    final String column;
    final String rule;
    final String firstRow;
    long count;

    Violation(String column, String rule, String firstRow) {
      this.column = column;
      this.rule = rule;
      this.firstRow = firstRow;
    }

    public String column() {
      return column;
    }

    public String rule() {
      return rule;
    }

    /** The identity of the first offending row (its keys, or its ordinal). */
    public String firstRow() {
      return firstRow;
    }

    public long count() {
      return count;
    }
  }

  private final String vectorColumn; // may be null
  private final List<String> identityColumns;
  private long rowsSeen;
  private Violation violation;

  public RowChecks(String vectorColumn, List<String> identityColumns) {
    this.vectorColumn = vectorColumn;
    this.identityColumns = identityColumns;
  }

  /** Checks the rows of {@code root}; returns false once any violation has been seen. */
  public boolean check(VectorSchemaRoot root) {
    if (vectorColumn != null) {
      FieldVector v = root.getVector(vectorColumn);
      if (v instanceof FixedSizeListVector list) {
        checkVectors(root, list);
      }
    }
    rowsSeen += root.getRowCount();
    return violation == null;
  }

  private void checkVectors(VectorSchemaRoot root, FixedSizeListVector list) {
    Float4Vector values = (Float4Vector) list.getDataVector();
    int dim = list.getListSize();
    int rows = root.getRowCount();
    boolean listNulls = list.getNullCount() > 0;
    boolean elementNulls = values.getNullCount() > 0;
    if (!listNulls && !elementNulls && allFinite(values, rows * dim)) {
      return; // the common case: one tight pass, no per-row work
    }
    // Read the float bits straight from the data buffer: a NaN or infinity has all exponent
    // bits set. This keeps validation a small fraction of the fragment write (see benchmarks).
    IntBuffer bits = rows == 0 ? null : values.getDataBuffer()
        .nioBuffer(0, rows * dim * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer();
    for (int r = 0; r < rows; r++) {
      String rule = null;
      if (listNulls && list.isNull(r)) {
        rule = "must not be null";
      } else {
        int base = r * dim;
        for (int j = 0; j < dim; j++) {
          if (elementNulls && values.isNull(base + j)) {
            rule = "must not contain null elements";
            break;
          }
          if ((bits.get(base + j) & 0x7f800000) == 0x7f800000) {
            rule = "must not contain NaN or infinite values";
            break;
          }
        }
      }
      if (rule != null) {
        record(vectorColumn, "vector values " + rule, root, r);
      }
    }
  }

  private static final long LOW_EXPONENT = 0x7f800000L;
  private static final long HIGH_EXPONENT = 0x7f800000L << 32;

  /**
   * Whether the first {@code n} floats are all finite, reading two at a time from the data
   * buffer (a NaN or infinity has all exponent bits set). Branch-free, so the JIT keeps it a
   * tight loop: about a memory read's cost, which is what keeps validation off the write path's
   * profile (see the engineering notes). The per-row loop runs only when this finds something.
   */
  static boolean allFinite(Float4Vector values, int n) {
    if (n == 0) {
      return true;
    }
    java.nio.ByteBuffer bytes = values.getDataBuffer().nioBuffer(0, n * Float.BYTES)
        .order(ByteOrder.LITTLE_ENDIAN);
    java.nio.LongBuffer pairs = bytes.asLongBuffer();
    int m = n / 2;
    boolean bad = false;
    for (int i = 0; i < m; i++) {
      long x = pairs.get(i);
      bad |= ((x & LOW_EXPONENT) == LOW_EXPONENT) | ((x & HIGH_EXPONENT) == HIGH_EXPONENT);
    }
    if ((n & 1) == 1) {
      bad |= (bytes.getInt((n - 1) * Float.BYTES) & 0x7f800000) == 0x7f800000;
    }
    return !bad;
  }

  /** Records a violation in {@code column} at row {@code r} of {@code root}. */
  public void record(String column, String rule, VectorSchemaRoot root, int r) {
    if (violation == null) {
      violation = new Violation(column, rule, describeRow(root, r));
    }
    if (violation.column.equals(column)) {
      violation.count++;
    }
  }

  /** The identity of a row: its key values when the mode has keys, else its batch ordinal. */
  public String describeRow(VectorSchemaRoot root, int r) {
    if (identityColumns.isEmpty()) {
      return "#" + (rowsSeen + r) + " (0-based row ordinal in the batch)";
    }
    StringBuilder sb = new StringBuilder();
    for (String k : identityColumns) {
      FieldVector kv = root.getVector(k);
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(k).append('=').append(kv == null ? "?" : String.valueOf(kv.getObject(r)));
    }
    return sb.toString();
  }

  public Violation violation() {
    return violation;
  }

  public long rowsSeen() {
    return rowsSeen;
  }

  public io.github.lancesink.InvalidBatchException toException(long batchId) {
    return Errors.badRows(
        violation.column, violation.rule, violation.count, violation.firstRow, batchId);
  }
}
