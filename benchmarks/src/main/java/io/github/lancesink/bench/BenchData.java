package io.github.lancesink.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
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

/** Deterministic benchmark rows: id, text, 128-d (or any dim) float32 vector. */
final class BenchData {
  private BenchData() {}

  static Schema schema(int dim) {
    Field item = new Field("item", FieldType.notNullable(
        new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)), null);
    return new Schema(List.of(
        Field.notNullable("id", new ArrowType.Int(64, true)),
        Field.nullable("text", ArrowType.Utf8.INSTANCE),
        new Field("vector", FieldType.nullable(new ArrowType.FixedSizeList(dim)), List.of(item))));
  }

  static VectorSchemaRoot batch(BufferAllocator alloc, long firstId, int rows, int dim, long seed) {
    VectorSchemaRoot root = VectorSchemaRoot.create(schema(dim), alloc);
    root.allocateNew();
    BigIntVector id = (BigIntVector) root.getVector("id");
    VarCharVector text = (VarCharVector) root.getVector("text");
    FixedSizeListVector vec = (FixedSizeListVector) root.getVector("vector");
    Float4Vector vals = (Float4Vector) vec.getDataVector();
    vals.allocateNew(rows * dim);
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int i = 0; i < rows; i++) {
      id.setSafe(i, firstId + i);
      text.setSafe(i, ("document " + (firstId + i)).getBytes(StandardCharsets.UTF_8));
      vec.setNotNull(i);
      for (int j = 0; j < dim; j++) {
        vals.set(i * dim + j, (float) rnd.nextGaussian());
      }
    }
    vals.setValueCount(rows * dim);
    root.setRowCount(rows);
    return root;
  }

  /** A one-batch reader over an existing root; neither loading nor closing touches the root. */
  static ArrowReader readerOf(VectorSchemaRoot root, BufferAllocator alloc) {
    return new ArrowReader(alloc) {
      private boolean done;

      @Override
      public VectorSchemaRoot getVectorSchemaRoot() {
        return root;
      }

      @Override
      public boolean loadNextBatch() {
        if (done) {
          return false;
        }
        done = true;
        return true;
      }

      @Override
      public long bytesRead() {
        return 0;
      }

      @Override
      protected void closeReadSource() {}

      @Override
      protected Schema readSchema() throws IOException {
        return root.getSchema();
      }

      @Override
      public void close() {}
    };
  }
}
