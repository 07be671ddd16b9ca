package io.github.lancesink.lance;

import java.io.IOException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;
import org.lance.Dataset;
import org.lance.ipc.LanceScanner;

/** An ArrowReader over a Lance scan that also releases the scanner and its dataset view. */
final class ScanReader extends ArrowReader {
  private final Dataset view;
  private final LanceScanner scanner;
  private final ArrowReader batches;

  ScanReader(Dataset view, LanceScanner scanner, BufferAllocator allocator) {
    super(allocator);
    this.view = view;
    this.scanner = scanner;
    this.batches = scanner.scanBatches();
  }

  @Override
  public VectorSchemaRoot getVectorSchemaRoot() throws IOException {
    return batches.getVectorSchemaRoot();
  }

  @Override
  public boolean loadNextBatch() throws IOException {
    return batches.loadNextBatch();
  }

  @Override
  public long bytesRead() {
    return batches.bytesRead();
  }

  @Override
  protected void closeReadSource() {}

  @Override
  protected Schema readSchema() throws IOException {
    return batches.getVectorSchemaRoot().getSchema();
  }

  @Override
  public void close() throws IOException {
    try {
      batches.close();
      scanner.close();
    } catch (Exception e) {
      throw new IOException("closing the Lance scan failed", e);
    } finally {
      view.close();
    }
  }
}
