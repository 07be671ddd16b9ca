package io.github.lancesink.testkit.internal;

import io.github.lancesink.TableOperationException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;

/**
 * Freezes Arrow data into immutable Arrow IPC stream bytes. Bytes keep every Arrow type exactly
 * (no lossy conversion), cannot be mutated by the caller afterwards and can be read back any
 * number of times on any allocator.
 */
public final class FrozenBatches {
  private FrozenBatches() {}

  /** Immutable IPC bytes of one written fragment and its row count. */
  public record Frozen(byte[] ipc, long rows) {
    public byte[] ipc() {
      return ipc.clone();
    }

    byte[] raw() {
      return ipc;
    }
  }

  /** Reads {@code data} to its end and freezes every batch. */
  public static Frozen freeze(ArrowReader data, String uri) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long rows = 0;
    ArrowStreamWriter writer = null;
    try {
      while (data.loadNextBatch()) {
        VectorSchemaRoot root = data.getVectorSchemaRoot();
        if (writer == null) {
          writer = new ArrowStreamWriter(root, null, Channels.newChannel(out));
          writer.start();
        }
        if (root.getRowCount() > 0) {
          writer.writeBatch();
          rows += root.getRowCount();
        }
      }
      if (writer == null) {
        writer = new ArrowStreamWriter(data.getVectorSchemaRoot(), null, Channels.newChannel(out));
        writer.start();
      }
      writer.end();
      writer.close();
    } catch (IOException | RuntimeException e) {
      throw new TableOperationException("writeFragments",
          "In-memory operation 'writeFragments' on " + uri + " failed reading the batch: "
              + e.getMessage(), e);
    }
    return new Frozen(out.toByteArray(), rows);
  }

  static byte[] raw(Frozen f) {
    return f.raw();
  }
}
