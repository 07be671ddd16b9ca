package io.github.lancesink.internal;

import io.github.lancesink.spi.LanceTable;
import io.github.lancesink.spi.VersionProperties;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * This writer's view of the dedup ledger: the last marker it committed, found by walking the
 * table's versions backwards. The in-memory state answers warm lookups; {@link #load} (cold) and
 * {@link #catchUp} (versions committed since the last look) read the table.
 *
 * <p>Not thread-safe; the sink serialises access.
 */
public final class Ledger {

  /** The last marker of this writer and where it was found. */
  public record Entry(Marker marker, long version) {}

  /** Result of a walk. */
  public record WalkStats(int versionsRead, boolean reachedStart) {}

  private final String writerId;
  private final int lookback;
  private Optional<Entry> last = Optional.empty();
  private long scannedUpTo = -1; // highest version inspected; -1 = never loaded
  private boolean loaded;

  public Ledger(String writerId, int lookback) {
    this.writerId = writerId;
    this.lookback = lookback;
  }

  public boolean isLoaded() {
    return loaded;
  }

  public Optional<Entry> last() {
    return last;
  }

  public long scannedUpTo() {
    return scannedUpTo;
  }

  /** Forgets the in-memory state; the next lookup walks the table again. */
  public void invalidate() {
    loaded = false;
    last = Optional.empty();
    scannedUpTo = -1;
  }

  /**
   * Cold load: walks back from the latest version through at most {@code lookback} versions.
   * Fails closed when no marker is found but the table says this writer committed before and
   * the walk could not reach the start of history (lookback exhausted or versions cleaned up).
   */
  public WalkStats load(LanceTable table) {
    OptionalLong latest = table.latestVersion();
    last = Optional.empty();
    loaded = true;
    if (latest.isEmpty()) {
      scannedUpTo = 0;
      return new WalkStats(0, true);
    }
    long top = latest.getAsLong();
    long floor = Math.max(1, top - lookback + 1);
    int read = 0;
    long earliest = 1; // lowest version still present; found by walking, not by listing
    boolean cleanedUp = false;
    for (long v = top; v >= floor; v--) {
      read++;
      VersionProperties p = VersionReads.read(table, v);
      if (p.kind() == VersionProperties.Kind.MISSING) {
        cleanedUp = true;
        earliest = v + 1;
        break;
      }
      Optional<Marker> m = ours(p);
      if (m.isPresent()) {
        last = Optional.of(new Entry(m.get(), v));
        scannedUpTo = top;
        return new WalkStats(read, false);
      }
    }
    scannedUpTo = top;
    boolean reachedStart = floor <= 1 && !cleanedUp;
    if (!reachedStart && table.config().containsKey(Marker.registrationKey(writerId))) {
      loaded = false;
      throw Errors.ledgerMiss(writerId, table.displayUri(), top,
          cleanedUp ? earliest : floor, cleanedUp ? earliest : 1, lookback);
    }
    return new WalkStats(read, reachedStart);
  }

  /**
   * Inspects versions committed after {@link #scannedUpTo()} up to {@code upTo} (inclusive),
   * oldest first, and adopts any newer marker of this writer (e.g. from a concurrent writer
   * with the same id, or a commit whose outcome was unknown).
   *
   * @return the marker found in that range with the given attempt id, if any
   */
  public Optional<Entry> catchUp(LanceTable table, long upTo, String attemptId) {
    Optional<Entry> mine = Optional.empty();
    for (long v = scannedUpTo + 1; v <= upTo; v++) {
      Optional<Marker> m = ours(VersionReads.read(table, v));
      if (m.isPresent()) {
        Entry e = new Entry(m.get(), v);
        last = Optional.of(e);
        if (attemptId != null && attemptId.equals(m.get().attemptId())) {
          mine = Optional.of(e);
        }
      }
    }
    scannedUpTo = Math.max(scannedUpTo, upTo);
    return mine;
  }

  /** Records a commit this sink made at {@code version} (versions before it were inspected). */
  public void recordCommit(Marker marker, long version) {
    last = Optional.of(new Entry(marker, version));
    scannedUpTo = Math.max(scannedUpTo, version);
  }

  private Optional<Marker> ours(VersionProperties p) {
    if (p.kind() != VersionProperties.Kind.PRESENT) {
      return Optional.empty();
    }
    return Marker.parse(p.properties()).filter(m -> m.writerId().equals(writerId));
  }
}
