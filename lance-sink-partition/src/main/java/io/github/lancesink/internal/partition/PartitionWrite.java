package io.github.lancesink.internal.partition;

import io.github.lancesink.BatchResult;
import io.github.lancesink.LanceSink;
import io.github.lancesink.partition.PartitionSnapshot;
import java.util.Map;

/**
 * Reads one partition and writes it through {@code sink} as batch {@code batchId}, adding
 * {@code tags} to the commit (wrap the source in a {@link TaggedSource}). Read failures must be
 * thrown as {@link io.github.lancesink.partition.PartitionSourceException}.
 */
@FunctionalInterface
public interface PartitionWrite {
  BatchResult write(LanceSink sink, long batchId, PartitionSnapshot partition,
      Map<String, String> tags);
}
