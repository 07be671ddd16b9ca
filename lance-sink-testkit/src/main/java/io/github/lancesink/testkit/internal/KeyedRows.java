package io.github.lancesink.testkit.internal;

import io.github.lancesink.spi.LanceTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
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
 * Batches for the keyed contract tests: rows of (id, grp, val, vector[dim]) plus optional
 * change-feed and sequence columns. {@code val} identifies a row's content; vector[0] = val.
 * Internal to the testkit; not API.
 */
public final class KeyedRows {
  /** One input row; null fields are written as nulls. */
  public record Row(Long id, String grp, long val, String change, Long version, Long seq) {
    public static Row of(long id, long val) {
      return new Row(id, "g" + (id % 3), val, null, null, null);
    }

    public static Row change(long id, long val, String change, long version) {
      return new Row(id, "g" + (id % 3), val, change, version, null);
    }

    public static Row grouped(long id, String grp, long val) {
      return new Row(id, grp, val, null, null, null);
    }
  }

  private final List<Row> rows = new ArrayList<>();
  private boolean cdc;
  private boolean changeTypeColumn = true;
  private boolean seq;
  private int rowsPerArrowBatch = Integer.MAX_VALUE;

  public static KeyedRows upsert() {
    return new KeyedRows();
  }

  public static KeyedRows cdc() {
    KeyedRows b = new KeyedRows();
    b.cdc = true;
    return b;
  }

  public KeyedRows withSeq() {
    seq = true;
    return this;
  }

  /** A CDC batch that lacks the {@code _change_type} column. */
  public KeyedRows withoutChangeType() {
    changeTypeColumn = false;
    return this;
  }

  /** Splits the rows over several Arrow record batches. */
  public KeyedRows chunked(int n) {
    rowsPerArrowBatch = n;
    return this;
  }

  public KeyedRows add(Row r) {
    rows.add(r);
    return this;
  }

  public KeyedRows add(List<Row> rs) {
    rows.addAll(rs);
    return this;
  }

  /** The rows in their order, for adapters that build their own input (e.g. a DataFrame). */
  public List<Row> rows() {
    return List.copyOf(rows);
  }

  public static final int DIM = 8;

  public Schema schema() {
    Field item = new Field("item", FieldType.notNullable(
        new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)), null);
    List<Field> fields = new ArrayList<>(List.of(
        Field.nullable("id", new ArrowType.Int(64, true)),
        Field.nullable("grp", ArrowType.Utf8.INSTANCE),
        Field.nullable("val", new ArrowType.Int(64, true)),
        new Field("vector", FieldType.nullable(new ArrowType.FixedSizeList(DIM)), List.of(item))));
    if (cdc && changeTypeColumn) {
      fields.add(Field.nullable("_change_type", ArrowType.Utf8.INSTANCE));
    }
    if (cdc) {
      fields.add(Field.nullable("_commit_version", new ArrowType.Int(64, true)));
      fields.add(Field.nullable("_commit_timestamp",
          new ArrowType.Timestamp(org.apache.arrow.vector.types.TimeUnit.MICROSECOND, "UTC")));
    }
    if (seq) {
      fields.add(Field.nullable("seq", new ArrowType.Int(64, true)));
    }
    return new Schema(fields);
  }

  public ArrowReader reader(BufferAllocator alloc) {
    List<List<Row>> chunks = new ArrayList<>();
    for (int i = 0; i < rows.size(); i += Math.min(rowsPerArrowBatch, rows.size())) {
      chunks.add(rows.subList(i, Math.min(rows.size(), i + rowsPerArrowBatch)));
    }
    List<java.util.function.Consumer<VectorSchemaRoot>> fillers = new ArrayList<>();
    for (List<Row> chunk : chunks) {
      fillers.add(root -> fill(root, chunk));
    }
    return new FillingReader(alloc, schema(), fillers);
  }

  private void fill(VectorSchemaRoot root, List<Row> chunk) {
    root.allocateNew();
    int n = chunk.size();
    FixedSizeListVector vec = (FixedSizeListVector) root.getVector("vector");
    Float4Vector vals = (Float4Vector) vec.getDataVector();
    for (int i = 0; i < n; i++) {
      Row r = chunk.get(i);
      setLong(root.getVector("id"), i, r.id());
      setText(root.getVector("grp"), i, r.grp());
      setLong(root.getVector("val"), i, r.val());
      vec.setNotNull(i);
      for (int j = 0; j < DIM; j++) {
        vals.setSafe(i * DIM + j, r.val() + j / 1000f);
      }
      if (root.getVector("_change_type") != null) {
        setText(root.getVector("_change_type"), i, r.change());
      }
      if (root.getVector("_commit_version") != null) {
        setLong(root.getVector("_commit_version"), i, r.version());
        ((org.apache.arrow.vector.TimeStampMicroTZVector) root.getVector("_commit_timestamp"))
            .setSafe(i, 1_700_000_000_000_000L);
      }
      if (root.getVector("seq") != null) {
        setLong(root.getVector("seq"), i, r.seq());
      }
    }
    vals.setValueCount(n * DIM);
    for (FieldVector v : root.getFieldVectors()) {
      v.setValueCount(n);
    }
    root.setRowCount(n);
  }

  private static void setLong(FieldVector v, int i, Long x) {
    if (x == null) {
      ((BigIntVector) v).setNull(i);
    } else {
      ((BigIntVector) v).setSafe(i, x);
    }
  }

  private static void setText(FieldVector v, int i, String s) {
    if (s == null) {
      ((VarCharVector) v).setNull(i);
    } else {
      ((VarCharVector) v).setSafe(i, s.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Reads (id -> val) of {@code version} (latest when empty); fails on a duplicate id. */
  public static Map<Long, Long> read(LanceTable table, OptionalLong version) {
    Map<Long, Long> out = new HashMap<>();
    readRows(table, version, List.of("id", "val"), root -> {
      BigIntVector id = (BigIntVector) root.getVector("id");
      BigIntVector val = (BigIntVector) root.getVector("val");
      for (int i = 0; i < root.getRowCount(); i++) {
        Long prev = out.put(id.get(i), val.get(i));
        if (prev != null) {
          throw new AssertionError("id " + id.get(i) + " stored twice (vals " + prev + ", "
              + val.get(i) + ")");
        }
      }
    });
    return out;
  }

  /** Applies {@code each} to every record batch of a scan. */
  public static void readRows(LanceTable table, OptionalLong version, List<String> columns,
      java.util.function.Consumer<VectorSchemaRoot> each) {
    try (ArrowReader r = table.scan(version, columns)) {
      while (r.loadNextBatch()) {
        each.accept(r.getVectorSchemaRoot());
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
