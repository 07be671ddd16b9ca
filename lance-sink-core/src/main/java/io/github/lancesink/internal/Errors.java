package io.github.lancesink.internal;

import io.github.lancesink.CommitConflictException;
import io.github.lancesink.CommitStateUnknownException;
import io.github.lancesink.ConfigurationException;
import io.github.lancesink.InvalidBatchException;
import io.github.lancesink.LanceSinkException;
import io.github.lancesink.LedgerException;
import io.github.lancesink.RetryableException;
import io.github.lancesink.TableOperationException;

/**
 * Builds every exception the sink throws, so each message says what happened, why, and how to
 * fix it, in one consistent voice. Callers pass URIs already redacted.
 */
public final class Errors {
  private Errors() {}

  public static LedgerException ledgerMiss(
      String writerId, String uri, long latest, long floor, long earliest, int lookback) {
    String why =
        floor == earliest && earliest > 1
            ? "versions before " + earliest + " were removed by cleanup"
            : "only the newest " + lookback + " versions are searched (lookback)";
    return new LedgerException(
        "Dedup ledger miss for writer '" + writerId + "' on " + uri + ": this writer has"
            + " committed to the table before, but no marker of it was found in versions "
            + floor + ".." + latest + " (" + why + "). Failing closed instead of risking a"
            + " duplicate or a silent skip. Fix: raise the lookback (LanceSink.Builder.lookback,"
            + " Spark option lance.sink.ledger.lookback) above the number of versions written"
            + " since this writer's last batch. Versions removed by a cleanup outside lance-sink"
            + " maintenance (which checkpoints every writer's last marker before it cleans up)"
            + " cannot be recovered: restore the table or move on with a new writer id.");
  }

  private static final String CHECKPOINT_FIX = " Failing closed instead of risking a duplicate"
      + " or a silent skip. Fix: find this writer's last committed batch (the versions' lancesink."
      + "batch-id transaction properties), then restore the table or move on with a new writer"
      + " id; do not edit lancesink.writer.*.checkpoint.* config entries by hand.";

  /** The writer's checkpoint entries in the table config cannot be parsed. */
  public static LedgerException checkpointMalformed(String writerId, String uri, String detail) {
    return new LedgerException("The dedup ledger checkpoint of writer '" + writerId + "' in the"
        + " table config of " + uri + " is malformed (" + detail + ")." + CHECKPOINT_FIX);
  }

  /** The checkpoint covers versions the table does not have (e.g. a restored table). */
  public static LedgerException checkpointAhead(
      String writerId, String uri, long coveredThrough, long latest) {
    return new LedgerException("The dedup ledger checkpoint of writer '" + writerId + "' on "
        + uri + " covers versions up to " + coveredThrough + ", but the latest version is "
        + latest + " (was the table restored or rewritten?)." + CHECKPOINT_FIX);
  }

  /** Versions after the checkpoint were removed: a newer marker may have been among them. */
  public static LedgerException checkpointGap(
      String writerId, String uri, long coveredThrough, long missing) {
    return new LedgerException("Dedup ledger gap for writer '" + writerId + "' on " + uri
        + ": its checkpoint covers versions up to " + coveredThrough + ", but version " + missing
        + " after it was removed by cleanup without the checkpoint being advanced, so a newer"
        + " marker may be lost." + CHECKPOINT_FIX + " Only lance-sink maintenance (which"
        + " checkpoints before it cleans up) should remove versions of a sink's table.");
  }

  /** The checkpoint's version still exists but does not hold the marker it names. */
  public static LedgerException checkpointMismatch(
      String writerId, String uri, long version, long batchId, String found) {
    return new LedgerException("The dedup ledger checkpoint of writer '" + writerId + "' on "
        + uri + " names batch " + batchId + " at version " + version + ", but " + found + "."
        + CHECKPOINT_FIX);
  }

  public static LedgerException lineageChanged(
      String writerId, String uri, long batchId, String newLineage, String oldLineage,
      long lastBatch, long version) {
    return new LedgerException(
        "Batch " + batchId + " of writer '" + writerId + "' comes from source lineage '"
            + newLineage + "', but the ledger on " + uri + " holds batch " + lastBatch
            + " from lineage '" + oldLineage + "' (version " + version + "). A new lineage"
            + " (for example a new Spark checkpoint) restarts batch ids, so skipping would"
            + " silently drop its data and writing could duplicate the old data. Fix: restore"
            + " the original checkpoint, or use a new writer id, or opt in with"
            + " LineagePolicy.START_NEW_LINEAGE (Spark option lance.sink.lineage.policy ="
            + " start-new) if the new stream really starts from scratch.");
  }

  public static LedgerException concurrentDuplicate(
      String writerId, String uri, long batchId, long version, long otherVersion) {
    return new LedgerException(
        "Writer '" + writerId + "' committed batch " + batchId + " at version " + version
            + " on " + uri + ", but another writer with the same writer id committed the same"
            + " batch at version " + otherVersion + " concurrently. Two live writers must"
            + " never share a writer id; stop one of them. The table holds this batch twice"
            + " until version " + version + " is restored away.");
  }

  /**
   * A version's transaction could not be read for a reason that is not transient. It may hold
   * this writer's newest marker, so treating it as "not one of ours" could commit a batch twice.
   */
  public static LedgerException unreadableVersion(String uri, long version, Throwable cause) {
    return new LedgerException(
        "Cannot read the transaction of version " + version + " of " + uri
            + (cause == null ? " (the table reported it unreadable)" : ": " + message(cause))
            + ". That version may hold a dedup marker, so the sink fails closed instead of"
            + " risking a duplicate or a silent skip. Fix: check that the version's transaction"
            + " file (_transactions/) is intact and readable with these credentials; restore it"
            + " from a backup, or, once you know which batches the table holds, move past it"
            + " with a new writer id.", cause);
  }

  public static ConfigurationException config(String message) {
    return new ConfigurationException(message);
  }

  public static ConfigurationException schemaMismatch(String uri, String detail) {
    return new ConfigurationException(
        "Batch schema does not match the table " + uri + ": " + detail + ". lance-sink never"
            + " casts silently. Fix the source schema, or allow new nullable columns with"
            + " SchemaEvolution.ADD_NULLABLE_COLUMNS.");
  }

  public static InvalidBatchException badRows(
      String column, String rule, long count, String firstRow, long batchId) {
    return new InvalidBatchException(
        "Batch " + batchId + " rejected: column '" + column + "' " + rule + " in " + count
            + (count == 1 ? " row" : " rows") + "; first offending row: " + firstRow
            + ". Nothing was committed. Fix or filter these rows at the source.",
        column,
        count,
        firstRow);
  }

  public static RetryableException retryable(String operation, String uri, Throwable cause) {
    return new RetryableException(
        operation + " on " + uri + " failed with a transient error; nothing was committed: "
            + message(cause),
        cause);
  }

  public static CommitConflictException conflict(String uri, long readVersion, Throwable cause) {
    return new CommitConflictException(
        "Commit on " + uri + " based on version " + readVersion + " conflicted with a"
            + " concurrent commit; nothing was committed: " + message(cause),
        cause);
  }

  public static CommitStateUnknownException stateUnknown(String uri, Throwable cause) {
    return new CommitStateUnknownException(
        "Commit on " + uri + " failed after it was sent; it may or may not have landed. The"
            + " sink re-reads the ledger before any retry: " + message(cause),
        cause);
  }

  /**
   * A commit failed after it was sent, and re-reading the table to learn whether it landed
   * failed too: fail closed, never retry blind.
   */
  public static CommitStateUnknownException stateUnreconciled(
      String operation, String uri, Throwable cause, Throwable read) {
    // the read error's own cause: its wrapper would claim "nothing was committed"
    Throwable shown = read instanceof LanceSinkException && read.getCause() != null
        ? read.getCause() : read;
    CommitStateUnknownException e = new CommitStateUnknownException(
        "Commit (" + operation + ") on " + uri + " failed after it was sent (" + message(cause)
            + "), and re-reading the table to learn whether it landed failed too: "
            + message(shown) + ". Nothing was retried. Run the batch again (same batch id) once"
            + " the store is reachable: the sink re-reads the table first and skips what"
            + " landed.",
        cause);
    e.addSuppressed(read);
    return e;
  }

  public static TableOperationException port(String operation, String uri, Throwable cause) {
    return new TableOperationException(
        operation,
        "Lance operation '" + operation + "' on " + uri + " failed: " + message(cause),
        cause);
  }

  private static String message(Throwable t) {
    if (t == null) {
      return "(no cause)";
    }
    String m = t.getMessage();
    return m == null ? t.getClass().getSimpleName() : m;
  }
}
