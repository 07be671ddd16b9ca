package io.github.lancesink.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/** What the sink needs to know about a caller's reader before it reads any row. */
public final class ArrowReaders {
  private ArrowReaders() {}

  /** The batch schema the reader declares. */
  public static Schema schema(ArrowReader reader) {
    try {
      return reader.getVectorSchemaRoot().getSchema();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the batch schema", e);
    }
  }

  /**
   * The allocator that owns the reader's vectors. Exporting through the C data interface must
   * use an allocator with the same root, whatever allocator the caller built the reader on.
   */
  public static BufferAllocator allocator(ArrowReader reader) {
    try {
      for (FieldVector v : reader.getVectorSchemaRoot().getFieldVectors()) {
        return v.getAllocator();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the batch schema", e);
    }
    throw new IllegalArgumentException("the batch has no columns");
  }
}
