package io.github.lancesink.testkit;

import java.util.function.Consumer;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/** An ArrowReader yielding exactly one record batch, filled by a callback. */
final class OneBatchReader extends ArrowReader {
  private final Schema schema;
  private final Consumer<VectorSchemaRoot> filler;
  private boolean done;

  OneBatchReader(BufferAllocator allocator, Schema schema, Consumer<VectorSchemaRoot> filler) {
    super(allocator);
    this.schema = schema;
    this.filler = filler;
  }

  @Override
  public boolean loadNextBatch() throws java.io.IOException {
    if (done) {
      return false;
    }
    done = true;
    filler.accept(getVectorSchemaRoot());
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
