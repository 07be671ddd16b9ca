package io.github.lancesink.testkit;

import java.util.Collections;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An immutable snapshot of a {@link MicroBatchDriver}'s checkpoint, laid out like Spark's: an
 * offsets log (batch id to the index of the submitted input it covers, written BEFORE the batch
 * runs) and a commits log (written only AFTER foreachBatch returned). A batch is acknowledged
 * once its commit entry exists; a batch with offsets but no commit entry is replayed with the
 * same id and the same input after a restart.
 *
 * @param queryId the stream's query id (Spark's {@code query.id}); the sink's source lineage
 * @param offsets batch id to input index, in batch id order
 * @param commits acknowledged batch ids
 * @since 0.1.0
 */
public record Checkpoint(String queryId, SortedMap<Long, Integer> offsets,
    SortedSet<Long> commits) {

  public Checkpoint {
    offsets = Collections.unmodifiableSortedMap(new TreeMap<>(offsets));
    commits = Collections.unmodifiableSortedSet(new TreeSet<>(commits));
  }

  /** The highest acknowledged batch id, if any. */
  public OptionalLong lastAcknowledged() {
    return commits.isEmpty() ? OptionalLong.empty() : OptionalLong.of(commits.last());
  }

  /** The batch planned (offsets written) but not acknowledged, if any: the one to replay. */
  public OptionalLong unacknowledged() {
    if (offsets.isEmpty()) {
      return OptionalLong.empty();
    }
    long last = offsets.lastKey();
    return commits.contains(last) ? OptionalLong.empty() : OptionalLong.of(last);
  }

  /** Batch ids in the offsets log mapped to their input index. */
  public Map<Long, Integer> plannedBatches() {
    return offsets;
  }
}
