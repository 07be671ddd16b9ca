package io.github.lancesink.testkit;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;

/**
 * A batch of input that can be opened any number of times, always yielding the same rows, the
 * way a Spark source re-reads the same offset range when a batch is replayed.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface BatchData {

  /** Opens a fresh reader over the batch on {@code allocator}; the caller closes it. */
  ArrowReader open(BufferAllocator allocator);
}
