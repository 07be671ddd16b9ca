package io.github.lancesink.internal;

import io.github.lancesink.spi.KeyedCommit;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The dedup marker: transaction properties committed in the same Lance commit as a batch's data.
 * {@code removedRows} and {@code absentDeletes} are what a keyed commit removed; the port records
 * them in the same commit ({@link KeyedCommit#withCounts}), so {@link #toProperties} leaves them
 * out and {@link #parse} reads them back (0 when absent).
 */
public record Marker(String writerId, long batchId, String lineage, String attemptId, long rows,
    String mode, long removedRows, long absentDeletes) {

  /** A marker before its commit: the removal counts are not known yet. */
  public Marker(
      String writerId, long batchId, String lineage, String attemptId, long rows, String mode) {
    this(writerId, batchId, lineage, attemptId, rows, mode, 0, 0);
  }

  public static final String PREFIX = "lancesink.";
  public static final String WRITER_ID = PREFIX + "writer-id";
  public static final String BATCH_ID = PREFIX + "batch-id";
  public static final String LINEAGE = PREFIX + "lineage";
  public static final String ATTEMPT_ID = PREFIX + "attempt-id";
  public static final String ROWS = PREFIX + "rows";
  public static final String MODE = PREFIX + "mode";
  public static final String LIB_VERSION = PREFIX + "library-version";
  /** Properties of a version that reverts a duplicate append (never parsed as a marker). */
  public static final String REVERT_OF = PREFIX + "revert.of-version";
  public static final String REVERT_WRITER_ID = PREFIX + "revert.writer-id";
  public static final String REVERT_BATCH_ID = PREFIX + "revert.batch-id";

  /** Table-config key recording that {@code writerId} has (or is about to have) committed. */
  public static String registrationKey(String writerId) {
    return PREFIX + "writer." + writerId + ".registered";
  }

  public Map<String, String> toProperties() {
    Map<String, String> p = new HashMap<>();
    p.put(WRITER_ID, writerId);
    p.put(BATCH_ID, Long.toString(batchId));
    p.put(LINEAGE, lineage);
    p.put(ATTEMPT_ID, attemptId);
    p.put(ROWS, Long.toString(rows));
    p.put(MODE, mode);
    p.put(LIB_VERSION, LibraryVersion.VERSION);
    return p;
  }

  /** Properties of the version that reverts this marker's duplicate commit at {@code version}. */
  public Map<String, String> revertProperties(long version) {
    return Map.of(REVERT_OF, Long.toString(version), REVERT_WRITER_ID, writerId,
        REVERT_BATCH_ID, Long.toString(batchId), LIB_VERSION, LibraryVersion.VERSION);
  }

  /** Parses a marker, or empty when the properties are not a well-formed lance-sink marker. */
  public static Optional<Marker> parse(Map<String, String> p) {
    String writer = p.get(WRITER_ID);
    String batch = p.get(BATCH_ID);
    if (writer == null || batch == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new Marker(
              writer,
              Long.parseLong(batch),
              p.getOrDefault(LINEAGE, ""),
              p.getOrDefault(ATTEMPT_ID, ""),
              Long.parseLong(p.getOrDefault(ROWS, "-1")),
              p.getOrDefault(MODE, ""),
              Long.parseLong(p.getOrDefault(KeyedCommit.REMOVED_ROWS_PROPERTY, "0")),
              Long.parseLong(p.getOrDefault(KeyedCommit.ABSENT_DELETES_PROPERTY, "0"))));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
