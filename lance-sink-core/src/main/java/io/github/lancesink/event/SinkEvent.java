package io.github.lancesink.event;

import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * Something the sink did. Every event carries the writer id and the instant it happened,
 * stamped by the sink's injected {@link java.time.Clock}. Events never contain credentials.
 *
 * <p>Subscribe through {@link SinkEvents#on(Class, java.util.function.Consumer)} or {@link
 * SinkEvents#onEvent(java.util.function.Consumer)} on {@code LanceSink#events()}.
 *
 * @since 0.1.0
 */
public sealed interface SinkEvent {

  /** The sink's writer id (the dedup namespace). */
  String writerId();

  /** When the event happened, by the sink's clock. */
  Instant at();

  /** A batch's data and marker landed in {@code version}. */
  record BatchCommitted(
      String writerId,
      Instant at,
      long batchId,
      long version,
      long rows,
      int attempts,
      Duration writeDuration,
      Duration commitDuration)
      implements SinkEvent {}

  /**
   * A batch was not written because the ledger shows it (or a later batch) was already
   * committed. {@code committedVersion} is the version holding the last marker, when known.
   */
  record DuplicateSkipped(
      String writerId,
      Instant at,
      long batchId,
      long lastCommittedBatchId,
      OptionalLong committedVersion)
      implements SinkEvent {}

  /** A batch held no rows; nothing was committed. */
  record EmptyBatch(String writerId, Instant at, long batchId) implements SinkEvent {}

  /** A retryable failure; the next attempt starts after {@code delay}. */
  record RetryScheduled(
      String writerId, Instant at, long batchId, int attempt, Duration delay, String reason)
      implements SinkEvent {}

  /**
   * A commit failed with unknown state and the ledger was re-read. {@code landed} says whether
   * the marker was found (the commit had landed) or not (it is safe to commit again).
   */
  record StateUnknownReconciled(
      String writerId, Instant at, long batchId, boolean landed, OptionalLong version)
      implements SinkEvent {}

  /**
   * The ledger was loaded from the table by walking back {@code versionsRead} versions, e.g. on
   * a cold start or after an ambiguous failure.
   */
  record LedgerLoaded(
      String writerId,
      Instant at,
      OptionalLong lastBatchId,
      OptionalLong markerVersion,
      int versionsRead,
      Duration took)
      implements SinkEvent {}

  /** A batch failed and the failure reached the caller. */
  record BatchFailed(String writerId, Instant at, long batchId, String errorType, String message)
      implements SinkEvent {}

  /**
   * A maintenance action ran (compaction, index build or refresh, cleanup).
   *
   * @param action the action name, e.g. {@code compact}
   * @param succeeded false when the action failed; the failure never affects batches
   * @param detail a short human-readable summary or the failure message
   */
  record MaintenanceRan(
      String writerId,
      Instant at,
      String action,
      boolean succeeded,
      Duration took,
      String detail)
      implements SinkEvent {}

  /**
   * The table's shape after a commit or maintenance: fragments, versions, rows, unindexed rows
   * and delta-index count. Unknown values are -1.
   *
   * @param versions how many versions are still readable (after cleanup)
   */
  record TableStatsObserved(
      String writerId,
      Instant at,
      long version,
      long versions,
      long fragments,
      long rows,
      long deletedRows,
      long unindexedRows,
      long indexDeltas)
      implements SinkEvent {}

  /**
   * A data commit made maintenance due. {@code triggers} say why (e.g. {@code every-commits},
   * {@code fragments}); {@code actions} are the intents handed to the runner, in order.
   */
  record MaintenancePlanned(
      String writerId,
      Instant at,
      long batchId,
      long version,
      java.util.List<String> triggers,
      java.util.List<String> actions)
      implements SinkEvent {
    public MaintenancePlanned {
      triggers = java.util.List.copyOf(triggers);
      actions = java.util.List.copyOf(actions);
    }
  }

  /**
   * A due action did not run now: the inline budget was spent, the run reached its version
   * bound, or the action failed and waits for its retry time ({@code retryAt}, when known).
   */
  record MaintenanceDeferred(
      String writerId,
      Instant at,
      String action,
      String reason,
      java.util.Optional<Instant> retryAt)
      implements SinkEvent {}

  /**
   * A write waited for maintenance before its commit because the table crossed a write-stall
   * bound (like RocksDB's slowdown and stop triggers): above the slowdown bound the writing
   * thread merged the unindexed tail and refreshed the index itself; above the stop bound it
   * waited until maintenance brought the table back under the bound, or failed the batch
   * ({@code stopped}, nothing committed) once the policy's budget was spent.
   *
   * @param reason which bound, e.g. {@code fragments 49 > slowdown 48}
   * @param took time the write spent stalled
   * @param fragments fragments (estimated, an upper bound) after the commit once the stall ended
   * @param unindexedRows unindexed rows (estimated, an upper bound) after the commit, or -1 when
   *     there is no vector index yet
   * @param stopped true when the stop bound still held at the deadline and the write failed
   */
  record WriteStalled(
      String writerId,
      Instant at,
      long batchId,
      String reason,
      Duration took,
      long fragments,
      long unindexedRows,
      boolean stopped)
      implements SinkEvent {}
}
