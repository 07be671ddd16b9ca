package io.github.lancesink.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The vector check's fast pass reads two floats at a time; these pin that every position
 * (low and high half of a pair, and the odd last float) is still checked, and that the per-row
 * report (rule, count, first row) is unchanged.
 */
class RowChecksTest {

  private static VectorSchemaRoot batch(BufferAllocator alloc, int rows, int dim) {
    Field item = new Field("item", FieldType.notNullable(
        new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)), null);
    Schema schema = new Schema(List.of(
        new Field("vector", FieldType.nullable(new ArrowType.FixedSizeList(dim)), List.of(item))));
    VectorSchemaRoot root = VectorSchemaRoot.create(schema, alloc);
    root.allocateNew();
    FixedSizeListVector vec = (FixedSizeListVector) root.getVector("vector");
    Float4Vector vals = (Float4Vector) vec.getDataVector();
    vals.allocateNew(rows * dim);
    for (int i = 0; i < rows; i++) {
      vec.setNotNull(i);
      for (int j = 0; j < dim; j++) {
        vals.set(i * dim + j, i + j / 100f);
      }
    }
    vals.setValueCount(rows * dim);
    root.setRowCount(rows);
    return root;
  }

  /** Purpose: every float position is checked. Pass: the bad value's row is reported. */
  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 6, 7, 8, 9, 13, 14})
  void findsANonFiniteValueAtEveryPosition(int position) {
    for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
      try (BufferAllocator alloc = new RootAllocator();
          VectorSchemaRoot root = batch(alloc, 5, 3)) { // 15 floats: odd count
        FixedSizeListVector vec = (FixedSizeListVector) root.getVector("vector");
        ((Float4Vector) vec.getDataVector()).set(position, bad);
        RowChecks checks = new RowChecks("vector", List.of());
        assertThat(checks.check(root)).as("value %s at %d", bad, position).isFalse();
        assertThat(checks.violation().rule())
            .isEqualTo("vector values must not contain NaN or infinite values");
        assertThat(checks.violation().count()).isEqualTo(1);
        assertThat(checks.violation().firstRow()).startsWith("#" + position / 3 + " ");
      }
    }
  }

  /** Purpose: the fast pass accepts finite extremes. Pass: no violation, rows counted. */
  @Test
  void acceptsFiniteExtremes() {
    try (BufferAllocator alloc = new RootAllocator();
        VectorSchemaRoot root = batch(alloc, 4, 3)) {
      Float4Vector vals =
          (Float4Vector) ((FixedSizeListVector) root.getVector("vector")).getDataVector();
      vals.set(0, Float.MAX_VALUE);
      vals.set(5, -Float.MAX_VALUE);
      vals.set(6, Float.MIN_VALUE);
      vals.set(11, -0.0f);
      RowChecks checks = new RowChecks("vector", List.of());
      assertThat(checks.check(root)).isTrue();
      assertThat(checks.violation()).isNull();
      assertThat(checks.rowsSeen()).isEqualTo(4);
    }
  }

  /** Purpose: several bad rows are counted once each. Pass: count 2, first row the earlier. */
  @Test
  void countsBadRowsOnce() {
    try (BufferAllocator alloc = new RootAllocator();
        VectorSchemaRoot root = batch(alloc, 6, 4)) {
      Float4Vector vals =
          (Float4Vector) ((FixedSizeListVector) root.getVector("vector")).getDataVector();
      vals.set(9, Float.NaN);
      vals.set(10, Float.NaN);
      vals.set(23, Float.POSITIVE_INFINITY);
      RowChecks checks = new RowChecks("vector", List.of());
      assertThat(checks.check(root)).isFalse();
      assertThat(checks.violation().count()).isEqualTo(2);
      assertThat(checks.violation().firstRow()).startsWith("#2 ");
    }
  }
}
