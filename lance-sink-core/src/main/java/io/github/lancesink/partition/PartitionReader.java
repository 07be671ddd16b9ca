package io.github.lancesink.partition;

import java.io.IOException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;

/**
 * Reads one partition's data files as Arrow, for the plain Java {@link PartitionRunner}. The
 * runner closes the reader after the batch. A file that cannot be read should fail with an
 * exception naming it; the runner reports it as a {@link PartitionSourceException}.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface PartitionReader {

  /**
   * Opens the rows of {@code partition} (its {@link PartitionSnapshot#dataFiles()}), allocating
   * from {@code allocator}.
   */
  ArrowReader open(PartitionSnapshot partition, BufferAllocator allocator) throws IOException;
}
