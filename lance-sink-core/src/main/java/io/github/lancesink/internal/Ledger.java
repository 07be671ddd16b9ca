package io.github.lancesink.internal;

import io.github.lancesink.spi.LanceTable;
import io.github.lancesink.spi.VersionProperties;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * This writer's view of the dedup ledger: the last marker it committed, found by walking the
 * table's versions backwards, no further than its {@link LedgerCheckpoint} when it has one. The in-memory state answers warm lookups; {@link #load} (cold) and
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
   * Cold load. With a {@linkplain LedgerCheckpoint checkpoint} in the table config, walks back
   * from the latest version only to the version after the one the checkpoint covers: a marker
   * found there is the last, otherwise the checkpoint's marker is. Without one, walks back
   * through at most {@code lookback} versions. Fails closed when no marker is found but the
   * table says this writer committed before and the walk could not reach the start of history
   * (lookback exhausted or versions cleaned up), and when the checkpoint disagrees with the
   * versions it names (see {@link #fromCheckpoint}).
   */
  public WalkStats load(LanceTable table) {
    // config first: a checkpoint read from it never covers a version newer than `top`
    java.util.Map<String, String> config = table.config();
    Optional<LedgerCheckpoint> checkpoint =
        LedgerCheckpoint.read(config, writerId, table.displayUri());
    OptionalLong latest = table.latestVersion();
    last = Optional.empty();
    loaded = true;
    if (latest.isEmpty()) {
      scannedUpTo = 0;
      return new WalkStats(0, true);
    }
    long top = latest.getAsLong();
    if (checkpoint.isPresent()) {
      return fromCheckpoint(table, checkpoint.get(), top);
    }
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
    if (!reachedStart && config.containsKey(Marker.registrationKey(writerId))) {
      loaded = false;
      throw Errors.ledgerMiss(writerId, table.displayUri(), top,
          cleanedUp ? earliest : floor, cleanedUp ? earliest : 1, lookback);
    }
    return new WalkStats(read, reachedStart);
  }

  /**
   * Walks {@code top} down to the version after the checkpoint's coverage (at most {@code
   * lookback} versions). Fails closed when a version in that range was removed (a marker may
   * have been in it), when the lookback ends before the checkpoint, when the checkpoint covers
   * versions the table does not have, when a newer marker of the same lineage has an older batch
   * than the checkpoint, and when the checkpoint's own version still exists but holds no marker
   * or another one.
   */
  private WalkStats fromCheckpoint(LanceTable table, LedgerCheckpoint cp, long top) {
    String uri = table.displayUri();
    if (cp.coveredThrough() > top) {
      loaded = false;
      throw Errors.checkpointAhead(writerId, uri, cp.coveredThrough(), top);
    }
    long floor = Math.max(cp.coveredThrough() + 1, top - lookback + 1);
    int read = 0;
    for (long v = top; v >= floor; v--) {
      read++;
      VersionProperties p = VersionReads.read(table, v);
      if (p.kind() == VersionProperties.Kind.MISSING) {
        loaded = false;
        throw Errors.checkpointGap(writerId, uri, cp.coveredThrough(), v);
      }
      Optional<Marker> m = ours(p);
      if (m.isPresent()) {
        if (m.get().lineage().equals(cp.marker().lineage())
            && m.get().batchId() < cp.marker().batchId()) {
          loaded = false;
          throw Errors.checkpointMismatch(writerId, uri, cp.version(), cp.marker().batchId(),
              "version " + v + ", after it, holds older batch " + m.get().batchId());
        }
        last = Optional.of(new Entry(m.get(), v));
        scannedUpTo = top;
        return new WalkStats(read, false);
      }
    }
    if (floor > cp.coveredThrough() + 1) {
      loaded = false;
      throw Errors.ledgerMiss(writerId, uri, top, floor, cp.coveredThrough() + 1, lookback);
    }
    read++;
    VersionProperties at = VersionReads.read(table, cp.version());
    if (at.kind() != VersionProperties.Kind.MISSING) {
      Optional<Marker> m = ours(at);
      if (m.isEmpty() || m.get().batchId() != cp.marker().batchId()
          || !m.get().attemptId().equals(cp.marker().attemptId())) {
        loaded = false;
        throw Errors.checkpointMismatch(writerId, uri, cp.version(), cp.marker().batchId(),
            m.map(x -> "it holds batch " + x.batchId() + " of attempt " + x.attemptId())
                .orElse("it holds no marker of this writer"));
      }
    }
    last = Optional.of(new Entry(cp.marker(), cp.version()));
    scannedUpTo = top;
    return new WalkStats(read, false);
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
