package io.github.lancesink.examples.deltacdf;

import io.github.lancesink.BatchResult.Outcome;
import io.github.lancesink.event.SinkEvent;
import io.github.lancesink.spark.BatchListener;
import io.github.lancesink.spark.BatchReport;
import io.github.lancesink.spark.LanceForeachBatch;
import java.time.Duration;
import java.util.Optional;

/**
 * The live progress line, fed by the sink: a {@link BatchListener} for every micro-batch and a
 * subscription to the sink's {@link SinkEvent.MaintenanceRan} events. Copy this pattern to export
 * the same numbers to your metrics system (or bind {@code MicrometerSinkMetrics}).
 */
final class Progress implements BatchListener {
  private static final long serialVersionUID = 1L;

  private transient Terminal terminal;
  private transient LanceForeachBatch function;
  private transient boolean subscribed;
  private long batches;
  private long rows;
  private long skipped;
  private long lanceVersion = -1;
  private Duration lastLag;
  private String lastMaintenance = "none yet";

  Progress(Terminal terminal) {
    this.terminal = terminal;
  }

  /** Subscribes to the sink's events once the function has opened its sink. */
  void watch(LanceForeachBatch fn) {
    this.function = fn;
  }

  @Override
  public synchronized void onBatch(BatchReport report) {
    if (!subscribed && function != null) {
      function.sink().ifPresent(sink -> {
        sink.events().on(SinkEvent.MaintenanceRan.class, this::onMaintenance);
        subscribed = true;
      });
    }
    batches++;
    Outcome outcome = report.result().outcome();
    if (outcome == Outcome.SKIPPED_DUPLICATE) {
      skipped++;
      lanceVersion = Math.max(lanceVersion, report.result().version().orElse(-1));
      terminal.line("  batch " + report.batchId() + " was already committed to Lance (version "
          + report.result().version().orElse(-1) + "): replay skipped, nothing written twice");
    } else if (outcome == Outcome.COMMITTED) {
      rows += report.result().rows();
      lanceVersion = report.result().version().orElse(lanceVersion);
      lastLag = report.freshnessLag().orElse(lastLag);
    }
    terminal.status(line());
    if (freezeArmed && outcome == Outcome.COMMITTED) {
      freezeAfterCommit(report.batchId());
    }
  }

  /** The line a frozen child prints right before it blocks (the supervisor kills on it). */
  static final String FROZEN_TAG = "  [frozen] ";

  private volatile boolean freezeArmed;

  /**
   * Makes the next committed batch block inside {@code foreachBatch}: the batch is in Lance, but
   * Spark has not recorded it in its checkpoint, so a SIGKILL now makes the restarted query
   * replay it, which is what {@code --kill-and-restart} demonstrates. Used by the supervisor's
   * first child only.
   */
  void armFreeze() {
    freezeArmed = true;
  }

  private void freezeAfterCommit(long batchId) {
    terminal.line(FROZEN_TAG + "batch " + batchId + " is committed to Lance; holding before"
        + " Spark records it in its checkpoint (waiting for SIGKILL)");
    while (true) {
      try {
        Thread.sleep(60_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private synchronized void onMaintenance(SinkEvent.MaintenanceRan e) {
    lastMaintenance = e.action() + (e.succeeded() ? "" : " FAILED") + " ("
        + e.took().toMillis() + " ms)";
    terminal.status(line());
  }

  synchronized String line() {
    return String.format("batches %d | change rows %,d | lance v%s | freshness lag %s"
            + " | maintenance: %s%s",
        batches, rows, lanceVersion < 0 ? "-" : Long.toString(lanceVersion), lag(lastLag),
        lastMaintenance, skipped > 0 ? " | replays skipped: " + skipped : "");
  }

  static String lag(Duration d) {
    return d == null ? "-" : String.format("%.1f s", d.toMillis() / 1000.0);
  }

  synchronized long batches() {
    return batches;
  }

  synchronized long skipped() {
    return skipped;
  }

  synchronized Optional<Duration> lastLag() {
    return Optional.ofNullable(lastLag);
  }

  synchronized String lastMaintenance() {
    return lastMaintenance;
  }
}
