package io.github.lancesink.spark.internal;

import io.github.lancesink.internal.RowChecks;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.execution.arrow.ArrowWriter;
import org.apache.spark.unsafe.Platform;

/**
 * Streams one partition's rows as Arrow record batches of at most {@code batchRows} rows. The
 * plain columns go through Spark's own {@link ArrowWriter}; the vector column is copied into a
 * {@code FixedSizeList<float32>[dim]}. Rows whose vector has the wrong length are recorded as
 * violations in the shared {@link RowChecks} (null vectors and NaN are left to the core's own
 * checks, which the caller runs through {@code ValidatingReader}). In append mode a change-feed
 * row other than {@code insert} is a violation too. It fills one batch at a time; {@link
 * PartitionWriter} hands each filled batch's buffers on to Lance's writer thread and this
 * reader sizes its emptied vectors anew for the next batch.
 */
final class RowArrowReader extends ArrowReader {
  /** Arrow buffers are little-endian; Spark stores floats in the platform's order. */
  private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

  private final Iterator<InternalRow> rows;
  private final RowLayout layout;
  private final RowChecks checks;
  private final int batchRows;
  private ArrowWriter writer;
  private FixedSizeListVector vector;
  private long maxCommitMicros = Long.MIN_VALUE;
  // sets: a partition reports each distinct key (or group) once, so the driver's memory grows
  // with distinct keys, not rows
  private final java.util.Set<List<Object>> replacedKeys = new java.util.LinkedHashSet<>();
  private final java.util.Set<List<Object>> deletedKeys = new java.util.LinkedHashSet<>();
  private long deletes;
  private long nullKeys;
  private long bytes;

  RowArrowReader(BufferAllocator allocator, Iterator<InternalRow> rows, RowLayout layout,
      RowChecks checks, int batchRows) {
    super(allocator);
    this.rows = rows;
    this.layout = layout;
    this.checks = checks;
    this.batchRows = batchRows;
  }

  @Override
  protected Schema readSchema() {
    return layout.outputSchema();
  }

  private void bind() throws java.io.IOException {
    if (writer != null) {
      return;
    }
    VectorSchemaRoot root = getVectorSchemaRoot();
    List<FieldVector> plain = new ArrayList<>();
    for (org.apache.arrow.vector.types.pojo.Field f : layout.plainArrowSchema().getFields()) {
      plain.add(root.getVector(f.getName()));
    }
    // shares the vectors of the reader's root; Spark's writer fills ordinals 0..plainCount-1
    writer = ArrowWriter.create(new VectorSchemaRoot(plain));
    if (layout.vectorColumn() != null) {
      vector = (FixedSizeListVector) root.getVector(layout.vectorColumn());
    }
  }

  @Override
  public boolean loadNextBatch() throws java.io.IOException {
    bind();
    VectorSchemaRoot root = getVectorSchemaRoot();
    writer.reset();
    if (vector != null) {
      vector.reset();
    }
    for (FieldVector v : root.getFieldVectors()) {
      if (v.getValueCapacity() == 0) {
        // the previous batch's buffers were handed over (HandoffReader): size them once for a
        // whole batch instead of doubling from the smallest allocation
        v.setInitialCapacity(batchRows);
        v.allocateNew();
      }
    }
    List<long[]> badLength = null; // {row, found length}
    List<Integer> badChange = null;
    int n = 0;
    int dim = layout.dimension();
    int vOrd = layout.vectorOrdinal();
    int ctOrd = layout.changeTypeOrdinal();
    int tsOrd = layout.commitTimestampOrdinal();
    while (n < batchRows && rows.hasNext()) {
      InternalRow row = rows.next();
      if (tsOrd >= 0 && !row.isNullAt(tsOrd)) {
        maxCommitMicros = Math.max(maxCommitMicros, row.getLong(tsOrd));
      }
      if (layout.keyed()) {
        boolean delete = layout.changeFeedMode() && ctOrd >= 0 && !row.isNullAt(ctOrd)
            && "delete".equals(row.getUTF8String(ctOrd).toString());
        List<Object> key = layout.key(row);
        (delete ? deletedKeys : replacedKeys).add(key);
        if (key.contains(null)) {
          nullKeys++;
        }
        if (delete) {
          deletes++;
          continue; // a deleted key's row is not stored
        }
      }
      writer.write(row);
      if (vector != null) {
        if (row.isNullAt(vOrd)) {
          vector.setNull(n);
        } else {
          ArrayData a = row.getArray(vOrd);
          int len = a.numElements();
          int base = vector.startNewValue(n);
          Float4Vector data = (Float4Vector) vector.getDataVector();
          if (len != dim) {
            badLength = badLength == null ? new ArrayList<>() : badLength;
            badLength.add(new long[] {n, len});
            for (int j = 0; j < dim; j++) {
              data.setSafe(base + j, 0f);
            }
          } else {
            copy(a, data, base, dim);
          }
        }
      }
      if (!layout.changeFeedMode() && ctOrd >= 0 && !row.isNullAt(ctOrd)
          && !"insert".equals(row.getUTF8String(ctOrd).toString())) {
        badChange = badChange == null ? new ArrayList<>() : badChange;
        badChange.add(n);
      }
      n++;
    }
    writer.finish();
    if (vector != null) {
      vector.getDataVector().setValueCount(n * dim);
      vector.setValueCount(n);
    }
    root.setRowCount(n);
    // what Spark 4's ArrowWriter.sizeInBytes() sums (Spark 3.5's writer lacks that method)
    for (FieldVector v : writer.root().getFieldVectors()) {
      bytes += v.getBufferSize();
    }
    if (badLength != null) {
      for (long[] b : badLength) {
        checks.record(layout.vectorColumn(), "vector length must be " + dim + " (first bad"
            + " length " + badLength.get(0)[1] + ")", root, (int) b[0]);
      }
    }
    if (badChange != null) {
      for (int r : badChange) {
        checks.record(RowLayout.CHANGE_TYPE, "must be 'insert' outside WriteMode.cdc (updates"
            + " and deletes need WriteMode.cdc)", root, r);
      }
    }
    return n > 0;
  }

  /** Copies one vector; a bulk copy when it has no null element (the common case). */
  private static void copy(ArrayData a, Float4Vector data, int base, int dim) {
    while (data.getValueCapacity() < base + dim) {
      data.reAlloc();
    }
    if (LITTLE_ENDIAN && a instanceof UnsafeArrayData u && copyUnsafe(u, data, base, dim)) {
      return;
    }
    boolean nulls = false;
    for (int j = 0; j < dim && !nulls; j++) {
      nulls = a.isNullAt(j);
    }
    if (!nulls) {
      // one bulk copy and whole validity bytes instead of a bounds-checked set per element
      // (the per-element loop was the largest Java cost of the Spark path, issue 15)
      data.getDataBuffer().nioBuffer((long) base * Float.BYTES, dim * Float.BYTES)
          .order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(a.toFloatArray());
      setValid(data.getValidityBuffer(), base, dim);
      return;
    }
    for (int j = 0; j < dim; j++) {
      if (a.isNullAt(j)) {
        data.setNull(base + j); // the core's checks report it
      } else {
        data.set(base + j, a.getFloat(j));
      }
    }
  }

  /**
   * Spark's own array format (what scans and most expressions produce): reads its null bitmap a
   * word at a time and, when no element is null, copies the floats straight from Spark's memory
   * into the Arrow buffer, with no per-element call and no temporary array. Returns false, having
   * written nothing, when an element is null (the caller's per-element path reports it).
   */
  private static boolean copyUnsafe(UnsafeArrayData a, Float4Vector data, int base, int dim) {
    Object obj = a.getBaseObject();
    long offset = a.getBaseOffset();
    long words = (dim + 63L) / 64;
    for (long w = 0; w < words; w++) {
      if (Platform.getLong(obj, offset + 8 + w * 8) != 0) {
        return false;
      }
    }
    long header = UnsafeArrayData.calculateHeaderPortionInBytes(dim);
    Platform.copyMemory(obj, offset + header, null,
        data.getDataBuffer().memoryAddress() + (long) base * Float.BYTES, (long) dim * Float.BYTES);
    setValid(data.getValidityBuffer(), base, dim);
    return true;
  }

  /** Marks {@code count} values from {@code from} as valid, whole bytes at a time. */
  static void setValid(ArrowBuf validity, int from, int count) {
    int i = from;
    int end = from + count;
    while (i < end && (i & 7) != 0) {
      BitVectorHelper.setBit(validity, i++);
    }
    int bytes = (end - i) >>> 3;
    if (bytes > 0) {
      validity.setOne(i >>> 3, bytes);
      i += bytes << 3;
    }
    while (i < end) {
      BitVectorHelper.setBit(validity, i++);
    }
  }

  java.util.Collection<List<Object>> replacedKeys() {
    return replacedKeys;
  }

  java.util.Collection<List<Object>> deletedKeys() {
    return deletedKeys;
  }

  /** Rows whose key has a null value. */
  long nullKeys() {
    return nullKeys;
  }

  /** Delete rows consumed (not stored). */
  long deletes() {
    return deletes;
  }

  /** The newest {@code _commit_timestamp} seen (microseconds since the epoch), if any. */
  long maxCommitMicros() {
    return maxCommitMicros;
  }

  @Override
  public long bytesRead() {
    return bytes;
  }

  @Override
  protected void closeReadSource() {
    // rows belong to Spark
  }
}
