package io.github.lancesink.testkit.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/** Reads frozen fragments back as Arrow, projecting columns. Owns (and closes) its allocator. */
final class MemoryScanReader extends ArrowReader {
  private final RootAllocator own;
  private final Schema projected;
  private final List<FrozenBatches.Frozen> fragments;
  private int next;
  private ArrowStreamReader current;

  private MemoryScanReader(RootAllocator own, Schema projected, List<FrozenBatches.Frozen> f) {
    super(own);
    this.own = own;
    this.projected = projected;
    this.fragments = f;
  }

  static MemoryScanReader open(Schema projected, List<FrozenBatches.Frozen> fragments) {
    return new MemoryScanReader(new RootAllocator(Long.MAX_VALUE), projected, fragments);
  }

  static Schema project(Schema table, List<String> columns) {
    if (columns.isEmpty()) {
      return table;
    }
    List<Field> fields = new ArrayList<>();
    for (String c : columns) {
      fields.add(table.findField(c)); // throws IllegalArgumentException for unknown columns
    }
    return new Schema(fields, table.getCustomMetadata());
  }

  @Override
  public boolean loadNextBatch() throws IOException {
    while (true) {
      if (current == null) {
        if (next >= fragments.size()) {
          return false;
        }
        current = new ArrowStreamReader(
            new ByteArrayInputStream(FrozenBatches.raw(fragments.get(next++))), own);
      }
      if (current.loadNextBatch()) {
        VectorSchemaRoot src = current.getVectorSchemaRoot();
        if (src.getRowCount() == 0) {
          continue;
        }
        VectorSchemaRoot root = getVectorSchemaRoot();
        for (Field f : projected.getFields()) {
          FieldVector from = src.getVector(f.getName());
          from.makeTransferPair(root.getVector(f.getName())).transfer();
        }
        root.setRowCount(src.getRowCount());
        return true;
      }
      current.close();
      current = null;
    }
  }

  @Override
  public long bytesRead() {
    return 0;
  }

  @Override
  protected void closeReadSource() throws IOException {
    if (current != null) {
      current.close();
      current = null;
    }
  }

  @Override
  protected Schema readSchema() {
    return projected;
  }

  @Override
  public void close() throws IOException {
    try {
      super.close();
    } finally {
      own.close();
    }
  }
}
