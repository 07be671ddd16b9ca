package io.github.lancesink;

import io.github.lancesink.event.SinkEvent;
import io.github.lancesink.event.SinkEvents;
import io.github.lancesink.internal.EventBus;
import io.github.lancesink.internal.KeyedReaderSource;
import io.github.lancesink.internal.Ledger;
import io.github.lancesink.internal.ReaderSource;
import io.github.lancesink.internal.SinkProtocol;
import io.github.lancesink.internal.maintenance.MaintenanceHook;
import io.github.lancesink.spi.BatchSource;
import io.github.lancesink.spi.LanceTable;
import io.github.lancesink.spi.SimulatedFailure;
import java.util.OptionalLong;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes micro-batches to a Lance table with exactly-once effect.
 *
 * <p>Every {@link #write} runs the same protocol: look up this writer's last batch in the dedup
 * ledger (kept as transaction properties inside the table's own commits); skip the batch if it
 * was already committed; otherwise validate and write the data, and commit it together with
 * its marker in one atomic Lance commit. Retryable failures are retried per the {@link
 * io.github.lancesink.policy.RetryPolicy}; a commit whose outcome is unknown is reconciled
 * against the ledger before any retry.
 *
 * <pre>{@code
 * try (LanceSink sink = LanceSink.builder()
 *     .tableUri("/data/items.lance")
 *     .writerId("items-sync")
 *     .vectorColumn("vector", 128)
 *     .build()) {
 *   BatchResult r = sink.write(batchId, arrowReader);
 * }
 * }</pre>
 *
 * <p>Thread-safe: concurrent calls on one instance are serialised. Two sink instances (or
 * processes) sharing a writer id and racing on the same batch commit it at most once.
 *
 * @since 0.1.0
 */
public final class LanceSink implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LanceSink.class);

  private final LanceSinkConfig config;
  private final LanceTable table;
  private final boolean ownsTable;
  private final EventBus events = new EventBus();
  private final Ledger ledger;
  private final SinkProtocol protocol;

  LanceSink(LanceSinkConfig config, LanceTable table, boolean ownsTable) {
    this.config = config;
    this.table = table;
    this.ownsTable = ownsTable;
    this.ledger = new Ledger(config.writerId(), config.lookback());
    this.protocol = new SinkProtocol(config, table, ledger, events,
        MaintenanceHook.forSink(config, table, events));
  }

  /** A builder; {@code tableUri} (or {@code table}) and {@code writerId} are required. */
  public static LanceSinkBuilder builder() {
    return new LanceSinkBuilder();
  }

  /**
   * Writes one batch read from {@code data}, using the sink's configured source lineage. The
   * reader may be built on any allocator. It is read to its end but not closed: the caller owns
   * it.
   *
   * @param batchId the engine's batch id; ids of one lineage must increase
   * @return committed, skipped as a duplicate, or empty
   * @throws InvalidBatchException when rows are invalid; nothing is committed
   * @throws ConfigurationException when the schema does not match; nothing is written
   * @throws LedgerException when exactly-once cannot be proven; nothing is written
   */
  public BatchResult write(long batchId, ArrowReader data) {
    return write(batchId, config.sourceLineage(), data);
  }

  /**
   * Writes one batch from a specific source lineage (for example a Spark query id, which
   * survives restarts). See {@link LineagePolicy} for what happens when it changes.
   */
  public BatchResult write(long batchId, String sourceLineage, ArrowReader data) {
    BatchSource source =
        config.writeMode().kind() == WriteMode.Kind.APPEND
            ? new ReaderSource(data, config)
            : new KeyedReaderSource(data, config);
    return write(batchId, sourceLineage, source);
  }

  /**
   * The template every engine goes through: ledger check, then validation and staging by the
   * source, then one atomic commit of data and marker, with classified retries.
   */
  public synchronized BatchResult write(long batchId, String sourceLineage, BatchSource source) {
    if (batchId < 0) {
      throw new IllegalArgumentException("batchId must be >= 0, was " + batchId);
    }
    String lineage = sourceLineage == null ? "" : sourceLineage;
    try {
      return protocol.write(batchId, lineage, source);
    } catch (LanceSinkException e) {
      publishFailure(batchId, e);
      throw e;
    } catch (RuntimeException e) {
      ledger.invalidate(); // unknown state: the next batch re-reads the ledger from the table
      publishFailure(batchId, e);
      throw e;
    }
  }

  private void publishFailure(long batchId, RuntimeException e) {
    if (e instanceof SimulatedFailure) {
      // a test's simulated process death is expected: keep it out of the ERROR log
      LOG.info("lance-sink writer '{}' batch {} on {}: {}", config.writerId(), batchId,
          table.displayUri(), e.getMessage());
    } else {
      LOG.error("lance-sink writer '{}' batch {} failed on {}: {}", config.writerId(), batchId,
          table.displayUri(), e.getMessage());
    }
    events.publish(
        new SinkEvent.BatchFailed(
            config.writerId(), config.clock().instant(), batchId, e.getClass().getSimpleName(),
            e.getMessage()));
  }

  /**
   * The last batch id this writer committed, answering from the ledger cache and reading the
   * table on a cold start.
   */
  public synchronized OptionalLong lastCommittedBatchId() {
    protocol.ensureLedgerLoaded();
    return ledger.last().map(e -> OptionalLong.of(e.marker().batchId())).orElse(OptionalLong.empty());
  }

  /** The version holding this writer's last marker, if any. */
  public synchronized OptionalLong lastMarkerVersion() {
    protocol.ensureLedgerLoaded();
    return ledger.last().map(e -> OptionalLong.of(e.version())).orElse(OptionalLong.empty());
  }

  /** Where listeners subscribe to this sink's events. */
  public SinkEvents events() {
    return events;
  }

  /** The table port this sink writes through. */
  public LanceTable table() {
    return table;
  }

  /** The effective configuration (credentials redacted in its {@code toString}). */
  public LanceSinkConfig config() {
    return config;
  }

  /** Drops the cached ledger so the next call re-reads it from the table. */
  public synchronized void invalidateLedger() {
    ledger.invalidate();
  }

  /** Releases the table (when the sink opened it) and stops background maintenance. */
  @Override
  public void close() {
    protocol.close();
    if (ownsTable) {
      table.close();
    }
  }

  @Override
  public String toString() {
    return "LanceSink{" + config + "}";
  }
}
