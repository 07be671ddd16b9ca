package io.github.lancesink;

import io.github.lancesink.testkit.internal.FillingReader;
import java.util.List;
import java.util.function.Consumer;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/** Builds small Arrow batches (id, text, vector) for the adapter's tests. */
public final class TestRows {
  private TestRows() {}

  public static Schema schema(int dim) {
    Field item = new Field("item", FieldType.notNullable(
        new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)), null);
    return new Schema(List.of(
        Field.notNullable("id", new ArrowType.Int(64, true)),
        Field.nullable("text", ArrowType.Utf8.INSTANCE),
        new Field("vector", FieldType.nullable(new ArrowType.FixedSizeList(dim)), List.of(item))));
  }

  /** A reader over one batch of ids [from, from+n); vector[i] = id + j/1000. */
  public static ArrowReader reader(BufferAllocator alloc, long from, int n, int dim) {
    return batches(alloc, schema(dim), List.of(root -> fill(root, from, n, dim, -1)));
  }

  /** Like {@link #reader} but row {@code nanRow} has a NaN in its vector. */
  public static ArrowReader readerWithNan(
      BufferAllocator alloc, long from, int n, int dim, int nanRow) {
    return batches(alloc, schema(dim), List.of(root -> fill(root, from, n, dim, nanRow)));
  }

  public static void fill(VectorSchemaRoot root, long from, int n, int dim, int nanRow) {
    root.allocateNew();
    BigIntVector id = (BigIntVector) root.getVector("id");
    VarCharVector text = (VarCharVector) root.getVector("text");
    FixedSizeListVector vec = (FixedSizeListVector) root.getVector("vector");
    Float4Vector vals = (Float4Vector) vec.getDataVector();
    vals.allocateNew(n * dim);
    for (int i = 0; i < n; i++) {
      id.setSafe(i, from + i);
      text.setSafe(i, ("doc-" + (from + i)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      vec.setNotNull(i);
      for (int j = 0; j < dim; j++) {
        vals.setSafe(i * dim + j, i == nanRow && j == 0 ? Float.NaN : (from + i) + j / 1000f);
      }
    }
    vals.setValueCount(n * dim);
    root.setRowCount(n);
  }

  /** An ArrowReader yielding one record batch per filler, in order (the testkit's reader). */
  public static ArrowReader batches(BufferAllocator alloc, Schema schema,
      List<Consumer<VectorSchemaRoot>> fillers) {
    return new FillingReader(alloc, schema, fillers);
  }
}
