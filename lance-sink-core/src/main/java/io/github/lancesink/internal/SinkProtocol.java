package io.github.lancesink.internal;

import io.github.lancesink.BatchResult;
import io.github.lancesink.CommitStateUnknownException;
import io.github.lancesink.LanceSinkException;
import io.github.lancesink.LedgerException;
import io.github.lancesink.LineagePolicy;
import io.github.lancesink.RetryableException;
import io.github.lancesink.TableOperationException;
import io.github.lancesink.event.SinkEvent;
import io.github.lancesink.spi.BatchSource;
import io.github.lancesink.spi.LanceTable;
import io.github.lancesink.spi.VersionProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.apache.arrow.vector.types.pojo.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exactly-once protocol behind {@code LanceSink.write}: ledger check, validation, staging,
 * one atomic commit of data and marker, classified retries and reconciliation. Engines never
 * re-implement it; they only supply a {@link BatchSource}.
 */
public final class SinkProtocol implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SinkProtocol.class);

  private final SinkConfig config;
  private final LanceTable table;
  private final Ledger ledger;
  private final EventBus events;
  private final CommitRetry retry;
  private final CommitHook maintenance;
  private final CommitPlan plan;
  private boolean registered;
  private int stagedFragments; // of the batch being committed (the write-stall estimate)

  /**
   * @param maintenance the post-commit hook (maintenance, as Delta's {@code PostCommitHook}):
   *     called after a batch was staged and before its commit, and after each commit; the
   *     protocol closes it
   */
  public SinkProtocol(SinkConfig config, LanceTable table, Ledger ledger, EventBus events,
      CommitHook maintenance) {
    this.config = config;
    this.table = table;
    this.ledger = ledger;
    this.events = events;
    this.retry = new CommitRetry(config, events);
    this.maintenance = java.util.Objects.requireNonNull(maintenance, "maintenance");
    this.plan = CommitPlan.of(config.writeMode());
  }

  public BatchResult write(long batchId, String lineage, BatchSource source) {
    ensureLedgerLoaded();
    Optional<BatchResult> skip = decide(batchId, lineage);
    if (skip.isPresent()) {
      return skip.get();
    }
    Schema batchSchema = source.schema();
    BatchChecks.beforeWrite(config, batchSchema, table.displayUri());
    if (source.isKnownEmpty(batchId)) {
      return empty(batchId);
    }
    Schema storedSchema = ChangeFeed.storedSchema(config.writeMode(), batchSchema);
    Optional<Schema> tableSchema = table.schema();
    if (tableSchema.isPresent()) {
      var added =
          SchemaCheck.againstTable(
              storedSchema, tableSchema.get(), config.schemaEvolution(), table.displayUri());
      if (!added.isEmpty()) {
        throw Errors.config(
            "Adding columns " + added.stream().map(f -> f.getName()).toList() + " to "
                + table.displayUri() + " is not supported by this table port yet.");
      }
    } else {
      table.createIfAbsent(storedSchema);
      // A racing creator may have created it with another schema: check again.
      table.schema().ifPresent(s -> SchemaCheck.againstTable(
          storedSchema, s, config.schemaEvolution(), table.displayUri()));
    }
    Instant writeStart = config.clock().instant();
    BatchSource.Staged staged = source.stage(table, batchId);
    Duration writeDuration = Duration.between(writeStart, config.clock().instant());
    if (staged.rows() == 0) {
      return empty(batchId);
    }
    register();
    plan.prepare(table);
    // write stall: may merge or refresh first, or fail the batch before anything is committed
    stagedFragments = fragmentCount(staged);
    maintenance.beforeCommit(batchId, stagedFragments, staged.rows());
    return commit(batchId, lineage, staged, writeDuration, source.commitProperties());
  }

  private BatchResult commit(long batchId, String lineage, BatchSource.Staged staged,
      Duration writeDuration, Map<String, String> sourceProperties) {
    Instant commitStart = config.clock().instant();
    String attemptId = UUID.randomUUID().toString();
    Marker marker =
        new Marker(config.writerId(), batchId, lineage, attemptId, staged.rows(),
            config.writeMode().toString());
    CommitRetry.Attempts attempts = retry.start(batchId);
    while (true) {
      attempts.next();
      long readVersion = table.latestVersion().orElseThrow();
      Optional<Ledger.Entry> mine = ledger.catchUp(table, readVersion, attemptId);
      if (mine.isPresent()) {
        // an earlier attempt whose outcome was unknown did land
        events.publish(new SinkEvent.StateUnknownReconciled(config.writerId(),
            config.clock().instant(), batchId, true, OptionalLong.of(mine.get().version())));
        return committed(marker, reconciled(mine.get()), attempts, writeDuration, commitStart);
      }
      Optional<BatchResult> skip = decide(batchId, lineage);
      if (skip.isPresent()) {
        LOG.warn("lance-sink writer '{}' batch {} was committed concurrently by another writer"
            + " with the same writer id; its staged fragments stay uncommitted (cleanup removes"
            + " them)", config.writerId(), batchId);
        return skip.get();
      }
      try {
        CommitPlan.Outcome done = plan.commit(table, readVersion, staged,
            withSource(marker.toProperties(), sourceProperties));
        long version = done.version();
        OptionalLong other = concurrentDuplicate(marker, readVersion, version);
        if (other.isPresent()) {
          attempts.succeeded();
          return revertDuplicate(marker, version, other.getAsLong(), attempts);
        }
        ledger.recordCommit(marker, version);
        attempts.succeeded();
        return committed(marker, done, attempts, writeDuration, commitStart);
      } catch (CommitStateUnknownException e) {
        LOG.warn("lance-sink writer '{}' batch {}: commit outcome unknown, reconciling with the"
            + " ledger before any retry: {}", config.writerId(), batchId, e.getMessage());
        Optional<Ledger.Entry> landed = reconcile(batchId, attemptId, e);
        if (landed.isPresent()) {
          return committed(marker, reconciled(landed.get()), attempts, writeDuration,
              commitStart);
        }
        attempts.stateUnknown(e);
      } catch (RetryableException e) {
        attempts.retryable(e);
      }
    }
  }

  /** The marker's properties plus the source's, namespaced so they can never overwrite it. */
  private static Map<String, String> withSource(
      Map<String, String> marker, Map<String, String> source) {
    if (source.isEmpty()) {
      return marker;
    }
    Map<String, String> all = new java.util.HashMap<>(marker);
    source.forEach((k, v) -> {
      if (k == null || k.isBlank() || v == null) {
        throw Errors.config("Source commit property '" + k + "' must have a non-blank key and a"
            + " non-null value");
      }
      all.put(BatchSource.SOURCE_PROPERTY_PREFIX + k, v);
    });
    return all;
  }

  /**
   * After an unknown outcome: the entry of this attempt's marker if it is in the table. A read
   * error here fails closed (state unknown), never as "nothing was committed".
   */
  private Optional<Ledger.Entry> reconcile(
      long batchId, String attemptId, CommitStateUnknownException unknown) {
    Optional<Ledger.Entry> mine;
    try {
      long latest = table.latestVersion().orElseThrow();
      mine = ledger.catchUp(table, latest, attemptId);
    } catch (RetryableException | TableOperationException read) {
      ledger.invalidate();
      throw Errors.stateUnreconciled("batch " + batchId, table.displayUri(), unknown, read);
    }
    events.publish(new SinkEvent.StateUnknownReconciled(config.writerId(),
        config.clock().instant(), batchId, mine.isPresent(),
        mine.map(m -> OptionalLong.of(m.version())).orElse(OptionalLong.empty())));
    return mine;
  }

  /**
   * Lance rebases an Append over concurrent Appends. Returns the version of a marker for the
   * same batch (or a later one) committed by another writer with this writer id between our
   * read version and our commit, if any. Of two such racing commits only the later one sees the
   * earlier, so exactly one of them reverts.
   */
  private OptionalLong concurrentDuplicate(Marker marker, long readVersion, long version) {
    for (long v = readVersion + 1; v < version; v++) {
      VersionProperties p = VersionReads.read(table, v);
      if (p.kind() != VersionProperties.Kind.PRESENT) {
        continue;
      }
      Optional<Marker> other = Marker.parse(p.properties());
      if (other.isPresent()
          && other.get().writerId().equals(marker.writerId())
          && other.get().lineage().equals(marker.lineage())
          && other.get().batchId() >= marker.batchId()) {
        return OptionalLong.of(v);
      }
    }
    ledger.catchUp(table, version - 1, null);
    return OptionalLong.empty();
  }

  /**
   * Our commit at {@code version} duplicates the batch another writer with this writer id
   * committed at {@code otherVersion}: remove our fragments again so the batch is in the table
   * once. If the port cannot revert, fail loudly (the duplicate stays for an operator).
   */
  private BatchResult revertDuplicate(Marker marker, long version, long otherVersion,
      CommitRetry.Attempts attempts) {
    ledger.invalidate();
    long revert;
    try {
      revert = table.revertAppend(version, marker.revertProperties(version));
    } catch (UnsupportedOperationException | LanceSinkException e) {
      LedgerException loud = Errors.concurrentDuplicate(
          marker.writerId(), table.displayUri(), marker.batchId(), version, otherVersion);
      loud.addSuppressed(e);
      throw loud;
    }
    LOG.warn("lance-sink writer '{}' batch {} was committed concurrently by another writer with"
        + " the same writer id at version {}; this sink's duplicate commit at version {} was"
        + " reverted at version {}. Two live writers must never share a writer id.",
        config.writerId(), marker.batchId(), otherVersion, version, revert);
    events.publish(new SinkEvent.DuplicateSkipped(config.writerId(), config.clock().instant(),
        marker.batchId(), marker.batchId(), OptionalLong.of(otherVersion)));
    return new BatchResult(marker.batchId(), BatchResult.Outcome.SKIPPED_DUPLICATE,
        OptionalLong.of(otherVersion), 0, 0, 0, attempts.count(), Duration.ZERO, Duration.ZERO);
  }

  /** Decides from the ledger whether {@code batchId} must be skipped. */
  private Optional<BatchResult> decide(long batchId, String lineage) {
    Optional<Ledger.Entry> last = ledger.last();
    if (last.isEmpty()) {
      return Optional.empty();
    }
    Marker m = last.get().marker();
    if (!m.lineage().equals(lineage)) {
      if (batchId <= m.batchId()) {
        if (config.lineagePolicy() == LineagePolicy.FAIL_ON_CHANGE) {
          throw Errors.lineageChanged(config.writerId(), table.displayUri(), batchId, lineage,
              m.lineage(), m.batchId(), last.get().version());
        }
        LOG.warn("lance-sink writer '{}' starts a new source lineage '{}' at batch {} (previous"
            + " lineage '{}' ended at batch {}), as LineagePolicy.START_NEW_LINEAGE allows",
            config.writerId(), lineage, batchId, m.lineage(), m.batchId());
      } else {
        LOG.warn("lance-sink writer '{}' source lineage changed from '{}' to '{}' at batch {}",
            config.writerId(), m.lineage(), lineage, batchId);
      }
      return Optional.empty();
    }
    if (batchId > m.batchId()) {
      return Optional.empty();
    }
    LOG.warn("lance-sink writer '{}' SKIPPED batch {} as a duplicate: the ledger on {} shows"
        + " batch {} already committed at version {}", config.writerId(), batchId,
        table.displayUri(), m.batchId(), last.get().version());
    events.publish(new SinkEvent.DuplicateSkipped(config.writerId(), config.clock().instant(),
        batchId, m.batchId(), OptionalLong.of(last.get().version())));
    return Optional.of(new BatchResult(batchId, BatchResult.Outcome.SKIPPED_DUPLICATE,
        OptionalLong.of(last.get().version()), 0, 0, 0, 0, Duration.ZERO, Duration.ZERO));
  }

  /** Loads the ledger from the table if the cache is cold. */
  public void ensureLedgerLoaded() {
    if (ledger.isLoaded()) {
      return;
    }
    Instant start = config.clock().instant();
    Ledger.WalkStats stats = ledger.load(table);
    Duration took = Duration.between(start, config.clock().instant());
    Optional<Ledger.Entry> last = ledger.last();
    LOG.info("lance-sink writer '{}' loaded its ledger from {}: last batch {} (read {} versions"
        + " in {} ms)", config.writerId(), table.displayUri(),
        last.map(e -> Long.toString(e.marker().batchId())).orElse("none"), stats.versionsRead(),
        took.toMillis());
    events.publish(new SinkEvent.LedgerLoaded(config.writerId(), config.clock().instant(),
        last.map(e -> OptionalLong.of(e.marker().batchId())).orElse(OptionalLong.empty()),
        last.map(e -> OptionalLong.of(e.version())).orElse(OptionalLong.empty()),
        stats.versionsRead(), took));
  }

  /** Records in table config that this writer commits here, so a later ledger miss fails closed. */
  private void register() {
    if (registered) {
      return;
    }
    String key = Marker.registrationKey(config.writerId());
    if (!table.config().containsKey(key)) {
      table.updateConfig(Map.of(key, config.clock().instant().toString()));
    }
    registered = true;
  }

  private BatchResult empty(long batchId) {
    LOG.info("lance-sink writer '{}' batch {} is empty; nothing committed", config.writerId(),
        batchId);
    events.publish(new SinkEvent.EmptyBatch(config.writerId(), config.clock().instant(), batchId));
    return new BatchResult(batchId, BatchResult.Outcome.EMPTY, OptionalLong.empty(), 0, 0, 0, 0,
        Duration.ZERO, Duration.ZERO);
  }

  /**
   * An attempt whose outcome was unknown landed: its version comes from the ledger, and what it
   * removed from the counts the port recorded in the same commit.
   */
  private static CommitPlan.Outcome reconciled(Ledger.Entry entry) {
    Marker m = entry.marker();
    return new CommitPlan.Outcome(entry.version(), m.removedRows(), m.absentDeletes());
  }

  private static int fragmentCount(BatchSource.Staged staged) {
    return staged.fragments().stream().mapToInt(f -> f.fragmentCount()).sum();
  }

  private BatchResult committed(Marker marker, CommitPlan.Outcome done,
      CommitRetry.Attempts attempts, Duration writeDuration, Instant commitStart) {
    long version = done.version();
    Duration commitDuration = Duration.between(commitStart, config.clock().instant());
    events.publish(new SinkEvent.BatchCommitted(config.writerId(), config.clock().instant(),
        marker.batchId(), version, marker.rows(), attempts.count(), writeDuration,
        commitDuration));
    // Post-commit hook: the policy decides whether maintenance is due, the executor runs it.
    // It never throws and never replays or fails this batch.
    maintenance.afterCommit(marker.batchId(), version, stagedFragments, marker.rows());
    return new BatchResult(marker.batchId(), BatchResult.Outcome.COMMITTED,
        OptionalLong.of(version), marker.rows(), done.deletedRows(), done.absentDeletes(),
        attempts.count(), writeDuration,
        commitDuration);
  }

  @Override
  public void close() {
    maintenance.close();
  }
}
