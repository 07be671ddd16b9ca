package io.github.lancesink.spark.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A bounded hand-off between two threads, so a task converts rows to Arrow while Lance encodes
 * the batches it already has. The producer (the Spark task thread) {@linkplain #put hands over}
 * each converted batch; its buffers move into a queued root without a copy. The consumer is
 * Lance, which pulls this reader through the C stream on its own thread; each pull moves the
 * oldest queued batch into this reader's root.
 *
 * <p>Memory: at most {@code depth} queued batches, plus the one Lance holds and the one the
 * producer fills. A producer failure ({@link #fail}) reaches the consumer as an {@link
 * IOException} on its next pull, so Lance aborts the write and nothing is committed; a consumer
 * that stops pulling (the write failed) makes {@link #put} return false instead of blocking.
 */
final class HandoffReader extends ArrowReader {
  private static final long POLL_MILLIS = 50;

  private final Schema schema;
  private final BlockingQueue<Object> queue; // VectorSchemaRoot, END or a Throwable
  private static final Object END = new Object();
  private volatile boolean consumerDone;
  private long bytes;

  HandoffReader(BufferAllocator allocator, Schema schema, int depth) {
    super(allocator);
    this.schema = schema;
    this.queue = new ArrayBlockingQueue<>(depth + 1); // + 1: END or a failure never blocks
  }

  /**
   * Producer side: moves {@code batch}'s buffers into a queued root (the batch's vectors are
   * left empty) and waits while the queue is full. Returns false, and keeps nothing, when the
   * consumer has stopped pulling.
   */
  boolean put(VectorSchemaRoot batch) throws InterruptedException {
    VectorSchemaRoot slot = VectorSchemaRoot.create(schema, allocator);
    transfer(batch, slot);
    while (!consumerDone) {
      if (queue.remainingCapacity() > 1 && queue.offer(slot)) {
        if (consumerDone) {
          drain(); // raced with close(): release what the consumer will never take
        }
        return !consumerDone;
      }
      synchronized (this) {
        wait(POLL_MILLIS);
      }
    }
    slot.close();
    return false;
  }

  /** Producer side: no more batches. */
  void finish() {
    queue.add(END);
    wake();
  }

  /** Producer side: the input failed; the consumer's next pull throws. */
  void fail(Throwable cause) {
    queue.add(cause);
    wake();
  }

  /** Whether the consumer has stopped pulling (finished, failed or closed). */
  boolean consumerDone() {
    return consumerDone;
  }

  @Override
  public boolean loadNextBatch() throws IOException {
    Object next;
    try {
      do {
        next = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
      } while (next == null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      consumerDone = true;
      throw new InterruptedIOException("interrupted while waiting for the next batch");
    }
    wake();
    if (next == END) {
      consumerDone = true;
      return false;
    }
    if (next instanceof Throwable t) {
      consumerDone = true;
      throw new IOException("the rows feeding this write failed: " + t.getClass().getSimpleName(),
          t);
    }
    VectorSchemaRoot root = getVectorSchemaRoot();
    try (VectorSchemaRoot slot = (VectorSchemaRoot) next) {
      transfer(slot, root);
    }
    for (FieldVector v : root.getFieldVectors()) {
      bytes += v.getBufferSize();
    }
    return true;
  }

  /** Moves every vector's buffers from {@code from} to {@code to} and sets the row count. */
  private static void transfer(VectorSchemaRoot from, VectorSchemaRoot to) {
    List<FieldVector> src = from.getFieldVectors();
    List<FieldVector> dst = to.getFieldVectors();
    for (int i = 0; i < src.size(); i++) {
      src.get(i).makeTransferPair(dst.get(i)).transfer();
    }
    to.setRowCount(from.getRowCount());
    from.setRowCount(0);
  }

  private synchronized void wake() {
    notifyAll();
  }

  private void drain() {
    Object o;
    while ((o = queue.poll()) != null) {
      if (o instanceof VectorSchemaRoot r) {
        r.close();
      }
    }
  }

  @Override
  protected Schema readSchema() {
    return schema;
  }

  @Override
  public long bytesRead() {
    return bytes;
  }

  @Override
  protected void closeReadSource() {
    consumerDone = true;
    drain();
    wake();
  }
}
