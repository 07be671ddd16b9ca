package io.github.lancesink.partition;

import io.github.lancesink.internal.Marker;
import io.github.lancesink.lance.NativeLanceTable;
import io.github.lancesink.spi.BatchSource;
import io.github.lancesink.spi.VersionProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
 * A tiny file format for plain-Java runner tests: each data file holds "from,count" and stands
 * for rows (id, grp = partition path, vector) with ids [from, from + count). A file that does not
 * parse is unreadable.
 */
final class TextPartitions implements PartitionReader {
  static final Instant T0 = Instant.parse("2026-05-04T10:00:00Z");
  static final int DIM = 2;
  private final Path base;

  TextPartitions(Path base) {
    this.base = base;
  }

  static Instant minute(int m) {
    return T0.plus(Duration.ofMinutes(m));
  }

  static String path(int m) {
    return PartitionLayout.defaults().format(minute(m));
  }

  void file(int m, String name, long from, int count) {
    write(path(m) + "/" + name, from + "," + count);
  }

  void marker(int m) {
    write(path(m) + "/_SUCCESS", "");
  }

  void write(String relative, String content) {
    try {
      Path p = base.resolve(relative);
      Files.createDirectories(p.getParent());
      Files.writeString(p, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Schema schema() {
    Field item = new Field("item", FieldType.notNullable(
        new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)), null);
    return new Schema(List.of(
        Field.notNullable("id", new ArrowType.Int(64, true)),
        Field.notNullable("grp", ArrowType.Utf8.INSTANCE),
        new Field("vector", FieldType.nullable(new ArrowType.FixedSizeList(DIM)), List.of(item))));
  }

  @Override
  public ArrowReader open(PartitionSnapshot p, BufferAllocator allocator) throws IOException {
    List<long[]> ranges = new ArrayList<>();
    for (SourceFile f : p.dataFiles()) {
      String text = Files.readString(base.resolve(f.relativePath())).trim();
      try {
        String[] parts = text.split(",");
        ranges.add(new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])});
      } catch (RuntimeException e) {
        throw new IOException("file " + f.relativePath() + " is not a valid data file", e);
      }
    }
    List<Filler> batches = new ArrayList<>();
    for (long[] r : ranges) {
      batches.add(root -> fill(root, r[0], (int) r[1], p.path()));
    }
    return batches(allocator, schema(), batches);
  }

  static void fill(VectorSchemaRoot root, long from, int n, String grp) {
    root.allocateNew();
    BigIntVector id = (BigIntVector) root.getVector("id");
    VarCharVector g = (VarCharVector) root.getVector("grp");
    FixedSizeListVector vec = (FixedSizeListVector) root.getVector("vector");
    Float4Vector vals = (Float4Vector) vec.getDataVector();
    vals.allocateNew(n * DIM);
    for (int i = 0; i < n; i++) {
      id.setSafe(i, from + i);
      g.setSafe(i, grp.getBytes(StandardCharsets.UTF_8));
      vec.setNotNull(i);
      for (int j = 0; j < DIM; j++) {
        vals.setSafe(i * DIM + j, from + i + j);
      }
    }
    vals.setValueCount(n * DIM);
    root.setRowCount(n);
  }

  /** Every id in the table (duplicates kept), sorted. */
  static List<Long> ids(String uri) {
    List<Long> out = new ArrayList<>();
    try (NativeLanceTable t = new NativeLanceTable(uri, Map.of());
        ArrowReader r = t.scan(OptionalLong.empty(), List.of("id"))) {
      while (r.loadNextBatch()) {
        FieldVector v = r.getVectorSchemaRoot().getVector("id");
        for (int i = 0; i < r.getVectorSchemaRoot().getRowCount(); i++) {
          out.add((Long) v.getObject(i));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.sort(null);
    return out;
  }

  /** "writer:batch:partition" of every lance-sink commit, oldest first. */
  static List<String> commits(String uri) {
    List<String> out = new ArrayList<>();
    try (NativeLanceTable t = new NativeLanceTable(uri, Map.of())) {
      for (long v = 1; v <= t.latestVersion().orElse(0); v++) {
        VersionProperties p = t.properties(v);
        if (p.kind() == VersionProperties.Kind.PRESENT) {
          Marker.parse(p.properties()).ifPresent(m -> out.add(m.writerId() + ":" + m.batchId()
              + ":" + p.properties().get(BatchSource.SOURCE_PROPERTY_PREFIX + "partition")));
        }
      }
    }
    return out;
  }

  static List<Long> range(long from, int count) {
    List<Long> out = new ArrayList<>();
    for (long i = from; i < from + count; i++) {
      out.add(i);
    }
    return out;
  }

  /** Fills one record batch; may fail like a real reader. */
  interface Filler {
    void fill(VectorSchemaRoot root) throws IOException;
  }

  /** A reader yielding one record batch per filler, in order, each filled when loaded. */
  static ArrowReader batches(BufferAllocator alloc, Schema schema, List<Filler> fillers) {
    return new ArrowReader(alloc) {
      private int next;

      @Override
      public boolean loadNextBatch() throws IOException {
        if (next >= fillers.size()) {
          return false;
        }
        fillers.get(next++).fill(getVectorSchemaRoot());
        return true;
      }

      @Override
      public long bytesRead() {
        return 0;
      }

      @Override
      protected void closeReadSource() {}

      @Override
      protected Schema readSchema() {
        return schema;
      }
    };
  }
}
