package io.github.lancesink.internal.partition;

import io.github.lancesink.internal.Marker;
import io.github.lancesink.internal.VersionReads;
import io.github.lancesink.spi.BatchSource;
import io.github.lancesink.spi.LanceTable;
import io.github.lancesink.spi.VersionProperties;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

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
   * Walks back from the latest version through at most {@code lookback} versions and records
   * the newest fingerprint of each partition committed by {@code writerId}. Stops early at a
   * marker of it older than {@code floorBatchId}.
   *
   * @return the number of versions read
   */
  public int load(LanceTable table, String writerId, long floorBatchId,
      int lookback) {
    OptionalLong latest = table.latestVersion();
    if (latest.isEmpty()) {
      return 0;
    }
    int read = 0;
    long floor = Math.max(1, latest.getAsLong() - lookback + 1);
    for (long v = latest.getAsLong(); v >= floor; v--) {
      read++;
      VersionProperties p = VersionReads.read(table, v);
      if (p.kind() == VersionProperties.Kind.MISSING) {
        break;
      }
      if (p.kind() != VersionProperties.Kind.PRESENT) {
        continue;
      }
      Optional<Marker> m = Marker.parse(p.properties());
      if (m.isEmpty() || !writerId.equals(m.get().writerId())) {
        continue;
      }
      Map<String, String> props = p.properties();
      String path = props.get(BatchSource.SOURCE_PROPERTY_PREFIX + PARTITION);
      String fp = props.get(BatchSource.SOURCE_PROPERTY_PREFIX + FINGERPRINT);
      if (path != null && fp != null && !byPath.containsKey(path)) {
        int files = parseInt(props.get(BatchSource.SOURCE_PROPERTY_PREFIX + FILES));
        byPath.put(path, new Recorded(fp, files));
      }
      if (m.get().batchId() < floorBatchId) {
        break;
      }
    }
    return read;
  }

  private static int parseInt(String s) {
    try {
      return s == null ? -1 : Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
