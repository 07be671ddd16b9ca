package io.github.lancesink.testkit;

import io.github.lancesink.testkit.internal.FillingReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
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

/**
 * An immutable batch of {@code (id, text, vector)} rows that opens as an {@link ArrowReader}, so
 * consumer tests never hand-write Arrow. The schema is {@code id: int64 not null, text: utf8,
 * vector: FixedSizeList<float32>[dim]}, plus an optional extra nullable utf8 column.
 *
 * <pre>{@code
 * TestBatch batch = TestBatch.sequential(100, 10, 8);          // ids 100..109
 * TestBatch bad = TestBatch.builder(8).row(1, "a", vec).nullVectorRow(2, "b").build();
 * try (ArrowReader r = batch.open(allocator)) { sink.write(7, r); }
 * }</pre>
 *
 * @since 0.1.0
 */
public final class TestBatch implements BatchData {

  /** One row. {@code vector} may be null; the array is copied on the way in and out. */
  public record Row(long id, String text, float[] vector) {
    public Row {
      vector = vector == null ? null : vector.clone();
    }

    @Override
    public float[] vector() {
      return vector == null ? null : vector.clone();
    }

    /** The vector as a list (null when the vector is null), as {@link TableRows} reads it. */
    public List<Float> vectorList() {
      if (vector == null) {
        return null;
      }
      List<Float> out = new ArrayList<>(vector.length);
      for (float f : vector) {
        out.add(f);
      }
      return List.copyOf(out);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Row r && id == r.id && Objects.equals(text, r.text)
          && Arrays.equals(vector, r.vector);
    }

    @Override
    public int hashCode() {
      return Objects.hash(id, text, Arrays.hashCode(vector));
    }

    @Override
    public String toString() {
      return "Row{id=" + id + ", text=" + text + ", vector=" + Arrays.toString(vector) + "}";
    }
  }

  private final int dimension;
  private final List<Row> rows;
  private final String extraColumn;
  private final boolean withText;

  private TestBatch(int dimension, List<Row> rows, String extraColumn, boolean withText) {
    this.dimension = dimension;
    this.rows = List.copyOf(rows);
    this.extraColumn = extraColumn;
    this.withText = withText;
  }

  /** Rows with ids {@code [firstId, firstId + count)}; text {@code doc-<id>}. */
  public static TestBatch sequential(long firstId, int count, int dimension) {
    Builder b = builder(dimension);
    for (int i = 0; i < count; i++) {
      b.row(firstId + i, "doc-" + (firstId + i), vectorFor(firstId + i, dimension));
    }
    return b.build();
  }

  /** A batch with no rows (Spark delivers these for idle triggers). */
  public static TestBatch empty(int dimension) {
    return builder(dimension).build();
  }

  /** The deterministic vector {@link #sequential} uses for {@code id}: {@code id + j/1000}. */
  public static float[] vectorFor(long id, int dimension) {
    float[] v = new float[dimension];
    for (int j = 0; j < dimension; j++) {
      v[j] = id + j / 1000f;
    }
    return v;
  }

  /** A builder for batches of vectors of {@code dimension} values. */
  public static Builder builder(int dimension) {
    return new Builder(dimension);
  }

  /** The same rows with row {@code index}'s first vector value set to NaN. */
  public TestBatch withNaN(int index) {
    List<Row> copy = new ArrayList<>(rows);
    float[] v = copy.get(index).vector();
    v[0] = Float.NaN;
    copy.set(index, new Row(copy.get(index).id(), copy.get(index).text(), v));
    return new TestBatch(dimension, copy, extraColumn, withText);
  }

  /** The same rows with row {@code index}'s vector set to null. */
  public TestBatch withNullVector(int index) {
    List<Row> copy = new ArrayList<>(rows);
    copy.set(index, new Row(copy.get(index).id(), copy.get(index).text(), null));
    return new TestBatch(dimension, copy, extraColumn, withText);
  }

  /** The same rows plus a nullable utf8 column {@code name} holding {@code <name>-<id>}. */
  public TestBatch withExtraColumn(String name) {
    return new TestBatch(dimension, rows, Objects.requireNonNull(name, "name"), withText);
  }

  /** The same rows without the {@code text} column (a schema mismatch for a normal table). */
  public TestBatch withoutText() {
    return new TestBatch(dimension, rows, extraColumn, false);
  }

  public List<Row> rows() {
    return rows;
  }

  public List<Long> ids() {
    return rows.stream().map(Row::id).toList();
  }

  public int size() {
    return rows.size();
  }

  public int dimension() {
    return dimension;
  }

  /** The Arrow schema of this batch. */
  public Schema schema() {
    Field item = new Field("item", FieldType.notNullable(
        new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)), null);
    List<Field> fields = new ArrayList<>();
    fields.add(Field.notNullable("id", new ArrowType.Int(64, true)));
    if (withText) {
      fields.add(Field.nullable("text", ArrowType.Utf8.INSTANCE));
    }
    fields.add(new Field("vector", FieldType.nullable(new ArrowType.FixedSizeList(dimension)),
        List.of(item)));
    if (extraColumn != null) {
      fields.add(Field.nullable(extraColumn, ArrowType.Utf8.INSTANCE));
    }
    return new Schema(fields);
  }

  /** Opens a reader yielding this batch as one record batch; the caller closes it. */
  @Override
  public ArrowReader open(BufferAllocator allocator) {
    return new FillingReader(allocator, schema(), List.of(this::fill));
  }

  /** Same as {@link #open}. */
  public ArrowReader reader(BufferAllocator allocator) {
    return open(allocator);
  }

  private void fill(VectorSchemaRoot root) {
    int n = rows.size();
    root.allocateNew();
    BigIntVector id = (BigIntVector) root.getVector("id");
    VarCharVector text = withText ? (VarCharVector) root.getVector("text") : null;
    VarCharVector extra = extraColumn == null ? null : (VarCharVector) root.getVector(extraColumn);
    FixedSizeListVector vec = (FixedSizeListVector) root.getVector("vector");
    Float4Vector vals = (Float4Vector) vec.getDataVector();
    vals.allocateNew(Math.max(1, n * dimension));
    for (int i = 0; i < n; i++) {
      Row r = rows.get(i);
      id.setSafe(i, r.id());
      if (text != null) {
        if (r.text() == null) {
          text.setNull(i);
        } else {
          text.setSafe(i, r.text().getBytes(StandardCharsets.UTF_8));
        }
      }
      if (extra != null) {
        extra.setSafe(i, (extraColumn + "-" + r.id()).getBytes(StandardCharsets.UTF_8));
      }
      float[] v = r.vector;
      if (v == null) {
        vec.setNull(i);
        for (int j = 0; j < dimension; j++) {
          vals.setSafe(i * dimension + j, 0f);
        }
      } else {
        vec.setNotNull(i);
        for (int j = 0; j < dimension; j++) {
          vals.setSafe(i * dimension + j, v[j]);
        }
      }
    }
    vals.setValueCount(n * dimension);
    root.setRowCount(n);
  }

  @Override
  public String toString() {
    return "TestBatch{rows=" + rows.size() + ", dimension=" + dimension + ", ids="
        + (rows.isEmpty() ? "[]" : "[" + rows.get(0).id() + ".." + rows.get(n() - 1).id() + "]")
        + "}";
  }

  private int n() {
    return rows.size();
  }

  /** Builds a {@link TestBatch}. */
  public static final class Builder {
    private final int dimension;
    private final List<Row> rows = new ArrayList<>();

    private Builder(int dimension) {
      if (dimension < 1) {
        throw new IllegalArgumentException("dimension must be >= 1, was " + dimension);
      }
      this.dimension = dimension;
    }

    /** Adds a row; {@code vector} must have exactly the builder's dimension. */
    public Builder row(long id, String text, float... vector) {
      if (vector == null || vector.length != dimension) {
        throw new IllegalArgumentException("row " + id + ": vector must have " + dimension
            + " values, has " + (vector == null ? "none" : vector.length)
            + "; use nullVectorRow for a null vector");
      }
      rows.add(new Row(id, text, vector));
      return this;
    }

    /** Adds a row whose vector is null (invalid input for the sink). */
    public Builder nullVectorRow(long id, String text) {
      rows.add(new Row(id, text, null));
      return this;
    }

    /** Adds {@code count} rows with ids from {@code firstId} as {@link #sequential} does. */
    public Builder sequentialRows(long firstId, int count) {
      for (int i = 0; i < count; i++) {
        row(firstId + i, "doc-" + (firstId + i), vectorFor(firstId + i, dimension));
      }
      return this;
    }

    public TestBatch build() {
      return new TestBatch(dimension, rows, null, true);
    }
  }
}
