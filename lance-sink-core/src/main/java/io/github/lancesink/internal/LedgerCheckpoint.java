package io.github.lancesink.internal;

import io.github.lancesink.spi.LanceTable;
import io.github.lancesink.spi.VersionProperties;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A writer's last marker, copied into the table config where version cleanup cannot remove it,
 * the way a Delta checkpoint carries {@code SetTransaction}. It says: the newest marker of this
 * writer in versions {@code 1..coveredThrough} is {@code marker}, committed at {@code version}.
 * A cold ledger then walks only the versions after {@code coveredThrough}.
 *
 * <p>Maintenance writes the checkpoints of every writer (one config update) before it removes
 * versions, so they always cover what cleanup removes; see {@link #advance}.
 */
public record LedgerCheckpoint(Marker marker, long version, long coveredThrough) {

  static final String VERSION = "version";
  static final String COVERED_THROUGH = "covered-through";
  static final String BATCH_ID = "batch-id";
  static final String LINEAGE = "lineage";
  static final String ATTEMPT_ID = "attempt-id";
  static final String ROWS = "rows";
  static final String MODE = "mode";

  /** Config key prefix of {@code writerId}'s checkpoint entries. */
  public static String prefix(String writerId) {
    return Marker.PREFIX + "writer." + writerId + ".checkpoint.";
  }

  /** The config entries that store this checkpoint (one atomic config update). */
  public Map<String, String> entries() {
    String p = prefix(marker.writerId());
    Map<String, String> e = new LinkedHashMap<>();
    e.put(p + VERSION, Long.toString(version));
    e.put(p + COVERED_THROUGH, Long.toString(coveredThrough));
    e.put(p + BATCH_ID, Long.toString(marker.batchId()));
    e.put(p + LINEAGE, marker.lineage());
    e.put(p + ATTEMPT_ID, marker.attemptId());
    e.put(p + ROWS, Long.toString(marker.rows()));
    e.put(p + MODE, marker.mode());
    return e;
  }

  /**
   * {@code writerId}'s checkpoint in {@code config}, or empty when it has none.
   *
   * @throws io.github.lancesink.LedgerException when the entries are present but malformed (a
   *     damaged checkpoint is never taken for "no checkpoint")
   */
  public static Optional<LedgerCheckpoint> read(
      Map<String, String> config, String writerId, String uri) {
    String p = prefix(writerId);
    String covered = config.get(p + COVERED_THROUGH);
    if (covered == null && config.keySet().stream().noneMatch(k -> k.startsWith(p))) {
      return Optional.empty();
    }
    try {
      long version = Long.parseLong(require(config, p + VERSION));
      long through = Long.parseLong(require(config, p + COVERED_THROUGH));
      Marker m = new Marker(writerId, Long.parseLong(require(config, p + BATCH_ID)),
          require(config, p + LINEAGE), require(config, p + ATTEMPT_ID),
          Long.parseLong(require(config, p + ROWS)), require(config, p + MODE));
      if (version < 1 || version > through) {
        throw new IllegalArgumentException("version " + version + " is not within 1.."
            + through);
      }
      return Optional.of(new LedgerCheckpoint(m, version, through));
    } catch (IllegalArgumentException e) {
      throw Errors.checkpointMalformed(writerId, uri, e.getMessage());
    }
  }

  private static String require(Map<String, String> config, String key) {
    String v = config.get(key);
    if (v == null) {
      throw new IllegalArgumentException("entry '" + key + "' is missing");
    }
    return v;
  }

  /**
   * Makes every writer's checkpoint cover the versions before {@code keepFrom}, so that cleanup
   * may then remove them. Reads each version in {@code earliest..keepFrom-1} once (normally the
   * few versions this cleanup removes) and writes the changed checkpoints in one config update.
   * A writer whose marker is found there gets it as its checkpoint (it is the newest marker of
   * that writer up to {@code keepFrom-1}: older versions hold only older ones). A writer without
   * one keeps its marker and has its coverage extended, but only when its checkpoint already
   * reaches the versions read (no gap); otherwise it is left as it is and its cold ledger fails
   * closed, as it must.
   *
   * @return how many writers' checkpoints were written
   * @throws io.github.lancesink.LanceSinkException when a version cannot be read or the config
   *     update fails; the caller must then not clean up
   */
  public static int advance(LanceTable table, long keepFrom) {
    long through = keepFrom - 1;
    OptionalLong earliestVersion = table.earliestVersion();
    if (through < 1 || earliestVersion.isEmpty()) {
      return 0;
    }
    long earliest = Math.max(1, earliestVersion.getAsLong());
    Map<String, String> config = table.config();
    Map<String, LedgerCheckpoint> found = new HashMap<>();
    long lowestRead = through + 1;
    for (long v = through; v >= earliest; v--) {
      VersionProperties p = VersionReads.read(table, v);
      if (p.kind() == VersionProperties.Kind.MISSING) {
        break; // removed meanwhile by another cleanup; older ones are gone too
      }
      lowestRead = v;
      if (p.kind() == VersionProperties.Kind.PRESENT) {
        long at = v;
        Marker.parse(p.properties()).ifPresent(m ->
            found.putIfAbsent(m.writerId(), new LedgerCheckpoint(m, at, through)));
      }
    }
    Map<String, String> updates = new LinkedHashMap<>(16);
    int written = 0;
    for (String writer : checkpointedWriters(config)) {
      if (found.containsKey(writer)) {
        continue;
      }
      LedgerCheckpoint old;
      try {
        old = read(config, writer, table.displayUri()).orElseThrow();
      } catch (RuntimeException e) {
        continue; // malformed: left alone, that writer's cold ledger fails closed
      }
      if (old.coveredThrough() < through && old.coveredThrough() >= lowestRead - 1) {
        updates.putAll(new LedgerCheckpoint(old.marker(), old.version(), through).entries());
        written++;
      }
    }
    for (LedgerCheckpoint c : found.values()) {
      Optional<LedgerCheckpoint> old = safeRead(config, c.marker().writerId(), table);
      if (old.isEmpty() || old.get().coveredThrough() < through) {
        updates.putAll(c.entries());
        written++;
      }
    }
    if (!updates.isEmpty()) {
      table.updateConfig(updates);
    }
    return written;
  }

  private static Optional<LedgerCheckpoint> safeRead(
      Map<String, String> config, String writer, LanceTable table) {
    try {
      return read(config, writer, table.displayUri());
    } catch (RuntimeException e) {
      return Optional.empty(); // a malformed checkpoint is replaced by a found marker
    }
  }

  /** Writer ids that have a checkpoint entry in {@code config}. */
  static java.util.Set<String> checkpointedWriters(Map<String, String> config) {
    String head = Marker.PREFIX + "writer.";
    String tail = ".checkpoint." + COVERED_THROUGH;
    java.util.Set<String> ids = new java.util.TreeSet<>();
    for (String k : config.keySet()) {
      if (k.startsWith(head) && k.endsWith(tail) && k.length() > head.length() + tail.length()) {
        ids.add(k.substring(head.length(), k.length() - tail.length()));
      }
    }
    return ids;
  }
}
