package io.github.lancesink.internal.partition;

import io.github.lancesink.LanceSink;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which files each processed partition had, as committed with its data. Rebuilt from the
 * table's own commit properties on start (no side file), then kept up to date in memory.
 */
public final class PartitionHistory {
  /** Commit property (under the source prefix): the partition path. */
  public static final String PARTITION = "partition";
  /** Commit property: the fingerprint of the partition's data files. */
  public static final String FINGERPRINT = "fingerprint";
  /** Commit property: the number of data files. */
  public static final String FILES = "files";

  /** What a commit recorded about a partition. */
  public record Recorded(String fingerprint, int files) {}

  private final Map<String, Recorded> byPath = new HashMap<>();

  public Optional<Recorded> get(String path) {
    return Optional.ofNullable(byPath.get(path));
  }

  public void record(String path, String fingerprint, int files) {
    byPath.put(path, new Recorded(fingerprint, files));
  }

  /**
   * Reads the sink's commits back (newest first, within its lookback) and records the newest
   * fingerprint of each partition. Stops early at a commit older than {@code floorBatchId}.
   *
   * @return the number of versions read
   */
  public int load(LanceSink sink, long floorBatchId) {
    return sink.readCommittedBatches(b -> {
      Map<String, String> props = b.sourceProperties();
      String path = props.get(PARTITION);
      String fp = props.get(FINGERPRINT);
      if (path != null && fp != null && !byPath.containsKey(path)) {
        byPath.put(path, new Recorded(fp, parseInt(props.get(FILES))));
      }
      return b.batchId() >= floorBatchId;
    });
  }

  private static int parseInt(String s) {
    try {
      return s == null ? -1 : Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
