package io.github.lancesink.internal;

import io.github.lancesink.InvalidBatchException;
import java.io.IOException;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Wraps the caller's reader: validates every batch as it streams to the writer, counts rows,
 * and lets the sink peek whether the input is empty before anything is written. On the first
 * invalid batch it drains the rest of the input (counting violations only), remembers the
 * {@link InvalidBatchException} and fails the stream, so the writer aborts and nothing is
 * committed.
 *
 * <p>Does not close the caller's reader: the caller owns it.
 */
public final class ValidatingReader extends DelegatingReader {
  private final RowChecks checks;
  private final long batchId;
  private boolean pending;
  private boolean exhausted;
  private InvalidBatchException failure;

  public ValidatingReader(ArrowReader delegate, RowChecks checks, long batchId) {
    super(delegate);
    this.checks = checks;
    this.batchId = batchId;
  }

  /** The batch schema as the caller's reader declares it. */
  public Schema schema() throws IOException {
    return delegate.getVectorSchemaRoot().getSchema();
  }

  /**
   * Loads batches until one has rows, validating it. Returns false when the input holds no
   * rows at all. Must be called once before handing this reader to a writer.
   */
  public boolean hasRows() throws IOException {
    while (delegate.loadNextBatch()) {
      VectorSchemaRoot root = delegate.getVectorSchemaRoot();
      if (root.getRowCount() > 0) {
        validate(root);
        pending = true;
        return true;
      }
    }
    exhausted = true;
    return false;
  }

  /**
   * The pending first batch was written on its own (through {@code getVectorSchemaRoot()}):
   * drops it and loads the next batch with rows, validated, as the new pending one. Returns
   * false when there is none.
   */
  public boolean skipPending() throws IOException {
    pending = false;
    if (loadNextBatch()) {
      pending = true;
      return true;
    }
    return false;
  }

  @Override
  public boolean loadNextBatch() throws IOException {
    if (failure != null) {
      throw new IOException(failure.getMessage());
    }
    if (pending) {
      pending = false;
      return true;
    }
    if (exhausted) {
      return false;
    }
    while (delegate.loadNextBatch()) {
      VectorSchemaRoot root = delegate.getVectorSchemaRoot();
      if (root.getRowCount() == 0) {
        continue;
      }
      validate(root);
      return true;
    }
    exhausted = true;
    return false;
  }

  private void validate(VectorSchemaRoot root) throws IOException {
    if (checks.check(root)) {
      return;
    }
    while (delegate.loadNextBatch()) {
      checks.check(delegate.getVectorSchemaRoot());
    }
    exhausted = true;
    failure = checks.toException(batchId);
    throw new IOException(failure.getMessage());
  }

  /** The validation failure, if the input held invalid rows. */
  public InvalidBatchException failure() {
    return failure;
  }

  /** Rows seen so far (all rows once the writer has consumed the stream). */
  public long rows() {
    return checks.rowsSeen();
  }
}
