package io.github.lancesink.partition;

import java.io.IOException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;

/**
 * Reads one partition's data files as Arrow, for the plain Java {@link PartitionRunner}. The
 * runner closes the reader after the batch.
 *
 * <p>A reader need not name the file it fails on. When reading a partition fails (at {@code
 * open}, or later while its batches are loaded), the runner opens this reader again on each of
 * the partition's files alone (a snapshot whose {@link PartitionSnapshot#dataFiles()} holds one
 * file) and reads it to the end; the first file that fails alone is named in the {@link
 * PartitionSourceException} and the {@link PartitionEvent.PartitionFailed} event. So {@code open}
 * must accept a snapshot with any one of the partition's files.
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
