package io.github.lancesink.internal;

import java.io.IOException;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A reader that streams the caller's reader through, on an allocator with the same root (see
 * {@link ArrowReaders#allocator}). It never closes the caller's reader or its root: the caller
 * owns them. Subclasses decide what {@link #loadNextBatch()} does on the way through.
 */
public abstract class DelegatingReader extends ArrowReader {
  protected final ArrowReader delegate;

  protected DelegatingReader(ArrowReader delegate) {
    super(ArrowReaders.allocator(delegate));
    this.delegate = delegate;
  }

  @Override
  public VectorSchemaRoot getVectorSchemaRoot() throws IOException {
    return delegate.getVectorSchemaRoot();
  }

  @Override
  public long bytesRead() {
    return delegate.bytesRead();
  }

  @Override
  protected void closeReadSource() {
    // the caller owns the delegate
  }

  @Override
  protected Schema readSchema() throws IOException {
    return delegate.getVectorSchemaRoot().getSchema();
  }

  @Override
  public void close() {
    // the caller owns the delegate and its root; nothing of ours to release
  }
}
