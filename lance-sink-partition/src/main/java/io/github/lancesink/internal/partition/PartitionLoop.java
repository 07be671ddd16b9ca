package io.github.lancesink.internal.partition;

import io.github.lancesink.BatchResult;
import io.github.lancesink.LanceSink;
import io.github.lancesink.partition.BadPartitionPolicy;
import io.github.lancesink.partition.CompletenessRule;
import io.github.lancesink.partition.CycleResult;
import io.github.lancesink.partition.LateDataPolicy;
import io.github.lancesink.partition.PartitionBatchIds;
import io.github.lancesink.partition.PartitionEvent;
import io.github.lancesink.partition.PartitionSnapshot;
import io.github.lancesink.partition.PartitionSourceException;
import io.github.lancesink.partition.RunSummary;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine-agnostic partition runner: list, decide, write one partition per batch through
 * {@link LanceSink}, with the watermark read back from the sink's own ledger. Not thread-safe,
 * except {@link #requestStop()}.
 */
public final class PartitionLoop {
  private static final Logger LOG = LoggerFactory.getLogger(PartitionLoop.class);

  private final LoopSettings s;
  private final LanceSink sink;
  private final PartitionWrite writer;
  private final List<Consumer<? super PartitionEvent>> listeners = new CopyOnWriteArrayList<>();
  private final StabilityTracker tracker = new StabilityTracker();
  private final PartitionHistory history = new PartitionHistory();
  private final Set<String> reportedLate = new HashSet<>();
  private final Set<String> reportedMalformed = new HashSet<>();
  private volatile boolean stopRequested;
  private Optional<Instant> position;
  private boolean historyLoaded;

  public PartitionLoop(LoopSettings settings, LanceSink sink, PartitionWrite writer) {
    this.s = settings;
    this.sink = sink;
    this.writer = writer;
  }

  public void onEvent(Consumer<? super PartitionEvent> listener) {
    listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
  }

  /** Asks a running cycle or run to stop after the partition in progress. Thread-safe. */
  public void requestStop() {
    stopRequested = true;
  }

  /** The newest partition time processed: from the sink's ledger on first use. */
  public Optional<Instant> watermark() {
    if (position == null) {
      var last = sink.lastCommittedBatchId();
      position = last.isPresent()
          ? Optional.of(PartitionBatchIds.watermark(last.getAsLong())) : Optional.empty();
    }
    return position;
  }

  /**
   * One cycle on its own: list, decide, process. A stop requested meanwhile ends it after the
   * partition in progress, and is then cleared.
   */
  public CycleResult runOnce() {
    try {
      return cycle();
    } finally {
      stopRequested = false;
    }
  }

  private CycleResult cycle() {
    Instant now = s.clock().instant();
    Optional<Instant> before = watermark();
    loadHistory();
    PartitionScan scan;
    try {
      scan = PartitionScan.of(s.lister().list(), s.layout());
    } catch (UncheckedIOException e) {
      throw new PartitionSourceException(s.basePath(), "Cannot list partitions under "
          + s.basePath() + ": " + e.getMessage(), e);
    }
    Cycle c = new Cycle();
    scan.malformed().forEach((path, msg) -> {
      var ev = new PartitionEvent.MalformedPath(now, path, msg);
      c.malformed.add(ev);
      if (reportedMalformed.add(path)) {
        LOG.warn("lance-sink partitions under {}: {}; ignored", s.basePath(), msg);
        publish(ev);
      }
    });
    Set<String> listed = new HashSet<>();
    List<PartitionSnapshot> parts = scan.partitions();
    Instant newestTime = parts.isEmpty() ? null : parts.get(parts.size() - 1).time();
    java.util.Map<String, Boolean> complete = new java.util.HashMap<>();
    for (PartitionSnapshot p : parts) {
      listed.add(p.path());
      Instant since = tracker.unchangedSince(p, now);
      complete.put(p.path(), s.rule().isComplete(new CompletenessRule.Observation(
          p, now, since, p.time().isBefore(newestTime))));
    }
    tracker.retain(listed);
    handleLate(parts, complete, now, c);
    var plan = PartitionPlanner.plan(parts, position, p -> complete.get(p.path()), s.lag(),
        s.layout().granularity());
    if (plan.skip().isPresent()) {
      var k = plan.skip().get();
      var ev = new PartitionEvent.PartitionsSkipped(now, position, k.from(), k.to(),
          k.jumpedTo(), k.lag(), k.paths());
      LOG.warn("lance-sink partitions under {}: SKIPPED partitions {} .. {} ({} listed: {}) to"
          + " jump to {}: lag {} exceeds {} under {}", s.basePath(), k.from(), k.to(),
          k.paths().size(), k.paths(), k.jumpedTo(), k.lag(), s.lag().maxLag(), s.lag());
      c.skipped = Optional.of(ev);
      publish(ev);
      position = Optional.of(k.to()); // the skipped range is behind us even if the jump fails
    }
    for (PartitionSnapshot p : plan.process()) {
      if (stopRequested) {
        break;
      }
      process(p, now, c);
    }
    return new CycleResult(now, before, position, c.processed, c.skipped, c.late, c.reprocessed,
        c.failed, c.malformed, plan.waiting());
  }

  private void process(PartitionSnapshot p, Instant now, Cycle c) {
    long id = PartitionBatchIds.of(p.time());
    BatchResult r;
    try {
      r = p.dataFiles().isEmpty() ? emptyResult(id)
          : writer.write(sink, id, p, tags(p));
    } catch (PartitionSourceException e) {
      failed(p, e, c);
      position = Optional.of(p.time());
      return;
    }
    history.record(p.path(), p.fingerprint(), p.fileCount());
    position = Optional.of(p.time());
    var ev = new PartitionEvent.PartitionProcessed(s.clock().instant(), p.path(), p.time(), id,
        r.outcome(), r.version(), r.rows(), p.fileCount());
    LOG.info("lance-sink partition {} ({} files) as batch {}: {} {} rows{}", p.path(),
        p.fileCount(), id, r.outcome(), r.rows(),
        r.version().isPresent() ? " at version " + r.version().getAsLong() : "");
    c.processed.add(ev);
    publish(ev);
  }

  /** A partition without data files (only a marker): nothing to read, nothing committed. */
  private static BatchResult emptyResult(long id) {
    return new BatchResult(id, BatchResult.Outcome.EMPTY, java.util.OptionalLong.empty(), 0, 0,
        0, 0, Duration.ZERO, Duration.ZERO);
  }

  private void failed(PartitionSnapshot p, PartitionSourceException e, Cycle c) {
    var ev = new PartitionEvent.PartitionFailed(s.clock().instant(), p.path(), e.getMessage(),
        s.onBadPartition());
    c.failed.add(ev);
    publish(ev);
    if (s.onBadPartition() == BadPartitionPolicy.STOP) {
      LOG.error("lance-sink partition {} failed; stopping (BadPartitionPolicy.STOP): {}",
          p.path(), e.getMessage());
      throw e;
    }
    LOG.warn("lance-sink partition {} failed and is SKIPPED (BadPartitionPolicy.SKIP_AND_REPORT):"
        + " {}", p.path(), e.getMessage());
  }

  private void handleLate(List<PartitionSnapshot> parts, java.util.Map<String, Boolean> complete,
      Instant now, Cycle c) {
    if (position == null || position.isEmpty()) {
      return;
    }
    Instant floor = position.get().minus(s.late().window());
    for (PartitionSnapshot p : parts) {
      if (p.time().isAfter(position.get()) || p.time().isBefore(floor) || stopRequested) {
        continue;
      }
      var rec = history.get(p.path());
      if (rec.isEmpty() || rec.get().fingerprint().equals(p.fingerprint())
          || !complete.get(p.path())) {
        continue;
      }
      String key = p.path() + "@" + p.fingerprint();
      boolean reprocess = s.late().kind() == LateDataPolicy.Kind.REPROCESS;
      var ev = new PartitionEvent.LateDataDetected(now, p.path(), p.time(), rec.get().files(),
          p.fileCount(), s.late().kind());
      if (!reprocess && !reportedLate.add(key)) {
        continue;
      }
      LOG.warn("lance-sink LATE DATA in already processed partition {}: {} files when processed,"
          + " {} now; {}", p.path(), rec.get().files(), p.fileCount(),
          reprocess ? "re-processing it" : "reported only (LateDataPolicy.REPORT)");
      c.late.add(ev);
      publish(ev);
      if (reprocess) {
        reprocess(p, c);
      }
    }
  }

  private void reprocess(PartitionSnapshot p, Cycle c) {
    long last = sink.lastCommittedBatchId().orElseThrow();
    if (PartitionBatchIds.revision(last) == PartitionBatchIds.REVISIONS - 1) {
      LOG.error("lance-sink partition {} has late data but {} re-processings already followed"
          + " watermark partition {}; not re-processed until the next partition commits",
          p.path(), PartitionBatchIds.REVISIONS - 1, PartitionBatchIds.watermark(last));
      return;
    }
    long id = last + 1;
    BatchResult r;
    try {
      r = writer.write(sink, id, p, tags(p));
    } catch (PartitionSourceException e) {
      failed(p, e, c);
      return;
    }
    history.record(p.path(), p.fingerprint(), p.fileCount());
    var ev = new PartitionEvent.PartitionReprocessed(s.clock().instant(), p.path(), p.time(),
        id, PartitionBatchIds.revision(id), r.outcome(), r.version(), r.rows());
    c.reprocessed.add(ev);
    publish(ev);
  }

  /** What the commit records about the partition, for late-data detection after restarts. */
  private static java.util.Map<String, String> tags(PartitionSnapshot p) {
    return java.util.Map.of(
        PartitionHistory.PARTITION, p.path(),
        PartitionHistory.FINGERPRINT, p.fingerprint(),
        PartitionHistory.FILES, Integer.toString(p.fileCount()));
  }

  private void loadHistory() {
    if (historyLoaded) {
      return;
    }
    historyLoaded = true;
    if (position.isEmpty() || s.late().window().isZero()) {
      return;
    }
    long floor = PartitionBatchIds.of(position.get().minus(s.late().window()));
    int read = history.load(sink, floor);
    LOG.info("lance-sink partitions: read {} versions of {} to rebuild the late-data history",
        read, sink.table().displayUri());
  }

  /**
   * Runs cycles every {@code cadence} until {@code deadline}, a stop request or {@code stop}
   * returns true. A partition in progress always finishes first.
   */
  public RunSummary runUntil(Instant deadline, BooleanSupplier stop) {
    Instant start = s.clock().instant();
    CycleScheduler.Outcome out = CycleScheduler.run(s, this::cycle, () -> stopRequested,
        deadline, stop);
    stopRequested = false;
    LOG.info("lance-sink partition run under {} stopped ({}) after {} cycles; watermark {}",
        s.basePath(), out.reason(), out.cycles().size(), position);
    return new RunSummary(out.cycles(), out.reason(), Duration.between(start, s.clock().instant()),
        position == null ? Optional.empty() : position);
  }

  private void publish(PartitionEvent e) {
    for (var l : listeners) {
      try {
        l.accept(e);
      } catch (RuntimeException ex) {
        LOG.warn("lance-sink partition event listener failed on {}; ignored",
            e.getClass().getSimpleName(), ex);
      }
    }
  }

  private static final class Cycle {
    final List<PartitionEvent.PartitionProcessed> processed = new ArrayList<>();
    final List<PartitionEvent.LateDataDetected> late = new ArrayList<>();
    final List<PartitionEvent.PartitionReprocessed> reprocessed = new ArrayList<>();
    final List<PartitionEvent.PartitionFailed> failed = new ArrayList<>();
    final List<PartitionEvent.MalformedPath> malformed = new ArrayList<>();
    Optional<PartitionEvent.PartitionsSkipped> skipped = Optional.empty();
  }
}
