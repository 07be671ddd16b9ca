package io.github.lancesink.spark.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lancesink.internal.RowChecks;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class RowArrowReaderVectorCopyTest {
  /** Rows of (id BIGINT, vector ARRAY<FLOAT>) with a {@code dim}-d vector column. */
  static RowLayout layout(int dim) {
    StructType schema = new StructType().add("id", DataTypes.LongType)
        .add("vector", DataTypes.createArrayType(DataTypes.FloatType));
    return RowLayout.plan(schema, "vector", dim, "UTC");
  }

  /**
   * Purpose: the bulk vector copy (issue 15) keeps every value and validity bit, at offsets
   * that are not byte-aligned, beside a vector with a null element (the per-element path).
   * Steps: 5 rows of 3-d vectors (bases 0, 3, 6, 9, 12), row 2 with a null element, through
   * RowArrowReader. Pass: every value equals the input, exactly the null element is invalid,
   * and no bit past the last value is set.
   */
  @Test
  void bulkCopyKeepsValuesAndValidityAtUnalignedOffsets() throws Exception {
    int dim = 3;
    RowLayout layout = layout(dim);
    List<InternalRow> rows = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Object vec = i == 2
          ? new GenericArrayData(new Object[] {1f, null, 3f})
          : UnsafeArrayData.fromPrimitiveArray(new float[] {i, i + 0.5f, -i});
      rows.add(new GenericInternalRow(new Object[] {(long) i, vec}));
    }
    try (BufferAllocator alloc = new RootAllocator();
        RowArrowReader reader = new RowArrowReader(alloc, rows.iterator(), layout,
            new RowChecks("vector", List.of()), 8_192)) {
      assertThat(reader.loadNextBatch()).isTrue();
      FixedSizeListVector v =
          (FixedSizeListVector) reader.getVectorSchemaRoot().getVector("vector");
      Float4Vector data = (Float4Vector) v.getDataVector();
      assertThat(data.getValueCount()).isEqualTo(15);
      for (int i = 0; i < 5; i++) {
        for (int j = 0; j < dim; j++) {
          int k = i * dim + j;
          if (i == 2 && j == 1) {
            assertThat(data.isNull(k)).as("element %d", k).isTrue();
          } else {
            float want = i == 2 ? (j == 0 ? 1f : 3f) : (j == 0 ? i : j == 1 ? i + 0.5f : -i);
            assertThat(data.isNull(k)).as("element %d", k).isFalse();
            assertThat(data.get(k)).as("element %d", k).isEqualTo(want);
          }
        }
      }
      for (int k = 15; k < 24; k++) {
        assertThat(data.getValidityBuffer().getByte(k >>> 3) & (1 << (k & 7)))
            .as("bit %d", k).isZero();
      }
    }
  }
  /**
   * Purpose: the direct copy from Spark's UnsafeArrayData (issue 15) reads every word of the
   * null bitmap: a null element past the first 64 still takes the per-element path. Steps:
   * 3 rows of 130-d vectors in Spark's unsafe format; row 1 has element 70 set null. Pass:
   * rows 0 and 2 arrive bit-exact, row 1's element 70 is null and its others are kept.
   */
  @Test
  void unsafeArraysCopyDirectlyAndNullsPastTheFirstWordAreSeen() throws Exception {
    int dim = 130;
    RowLayout layout = layout(dim);
    List<InternalRow> rows = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      float[] v = new float[dim];
      for (int j = 0; j < dim; j++) {
        v[j] = i * 1000 + j + 0.25f;
      }
      UnsafeArrayData u = UnsafeArrayData.fromPrimitiveArray(v);
      if (i == 1) {
        u.setNullAt(70);
      }
      rows.add(new GenericInternalRow(new Object[] {(long) i, u}));
    }
    try (BufferAllocator alloc = new RootAllocator();
        RowArrowReader reader = new RowArrowReader(alloc, rows.iterator(), layout,
            new RowChecks("vector", List.of()), 8_192)) {
      assertThat(reader.loadNextBatch()).isTrue();
      Float4Vector data = (Float4Vector) ((FixedSizeListVector) reader.getVectorSchemaRoot()
          .getVector("vector")).getDataVector();
      assertThat(data.getValueCount()).isEqualTo(3 * dim);
      for (int i = 0; i < 3; i++) {
        for (int j = 0; j < dim; j++) {
          int k = i * dim + j;
          if (i == 1 && j == 70) {
            assertThat(data.isNull(k)).as("element %d", k).isTrue();
          } else {
            assertThat(data.isNull(k)).as("element %d", k).isFalse();
            assertThat(data.get(k)).as("element %d", k).isEqualTo(i * 1000 + j + 0.25f);
          }
        }
      }
    }
  }
}
