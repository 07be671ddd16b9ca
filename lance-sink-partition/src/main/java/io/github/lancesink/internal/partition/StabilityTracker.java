package io.github.lancesink.internal.partition;

import io.github.lancesink.partition.PartitionSnapshot;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Remembers, per partition, the fingerprint last listed and since when it has been unchanged.
 * In memory only: after a restart every partition counts as first seen, which can only delay
 * processing, never make it early.
 */
public final class StabilityTracker {
  private record Seen(String fingerprint, Instant since) {}

  private final Map<String, Seen> seen = new HashMap<>();

  /** Since when {@code p} has looked exactly like this; {@code now} on a change or a first look. */
  public Instant unchangedSince(PartitionSnapshot p, Instant now) {
    String fp = p.fingerprint() + (p.successMarker() ? "+marker" : "");
    Seen s = seen.get(p.path());
    if (s == null || !s.fingerprint().equals(fp)) {
      seen.put(p.path(), new Seen(fp, now));
      return now;
    }
    return s.since();
  }

  /** Forgets partitions no longer listed. */
  public void retain(Set<String> paths) {
    seen.keySet().retainAll(paths);
  }
}
