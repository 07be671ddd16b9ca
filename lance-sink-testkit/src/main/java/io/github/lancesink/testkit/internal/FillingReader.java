package io.github.lancesink.testkit.internal;

import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * An ArrowReader yielding one record batch per filler, in order: each filler fills the reader's
 * root with one batch. The one reader behind the testkit's batch builders ({@code TestBatch},
 * {@link KeyedRows}) and the adapter's test helpers.
 */
public final class FillingReader extends ArrowReader {
  private final Schema schema;
  private final List<? extends Consumer<VectorSchemaRoot>> fillers;
  private int next;

  public FillingReader(BufferAllocator allocator, Schema schema,
      List<? extends Consumer<VectorSchemaRoot>> fillers) {
    super(allocator);
    this.schema = schema;
    this.fillers = List.copyOf(fillers);
  }

  @Override
  public boolean loadNextBatch() throws IOException {
    if (next >= fillers.size()) {
      return false;
    }
    fillers.get(next++).accept(getVectorSchemaRoot());
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
}
