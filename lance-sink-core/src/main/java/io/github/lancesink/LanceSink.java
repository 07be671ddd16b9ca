package io.github.lancesink;

import io.github.lancesink.event.SinkEvent;
import io.github.lancesink.event.SinkEvents;
import io.github.lancesink.internal.Capabilities;
import io.github.lancesink.internal.CommitHistory;
import io.github.lancesink.internal.EventBus;
import io.github.lancesink.internal.KeyedReaderSource;
import io.github.lancesink.internal.Ledger;
import io.github.lancesink.internal.ReaderSource;
import io.github.lancesink.internal.SinkConfig;
import io.github.lancesink.internal.SinkProtocol;
import io.github.lancesink.internal.TablePorts;
import io.github.lancesink.internal.maintenance.MaintenanceHook;
import io.github.lancesink.policy.OptimizePolicy;
import io.github.lancesink.policy.RetryPolicy;
import io.github.lancesink.spi.BatchSource;
import io.github.lancesink.spi.LanceTable;
import io.github.lancesink.spi.SimulatedFailure;
import io.github.resilience4j.retry.RetryRegistry;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes micro-batches to a Lance table with exactly-once effect. Build it from {@link
 * LanceSinkSettings} (or the builder's shortcut setters) plus the runtime hooks.
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

  private final SinkConfig config;
  private final LanceTable table;
  private final boolean ownsTable;
  private final EventBus events = new EventBus();
  private final Ledger ledger;
  private final SinkProtocol protocol;

  LanceSink(SinkConfig config, LanceTable table, boolean ownsTable) {
    this.config = config;
    this.table = table;
    this.ownsTable = ownsTable;
    this.ledger = new Ledger(config.writerId(), config.settings().lookback());
    this.protocol = new SinkProtocol(config, table, ledger, events,
        MaintenanceHook.forSink(config, table, events));
  }

  /** A builder; {@code tableUri} (or {@code table}) and {@code writerId} are required. */
  public static Builder builder() {
    return new Builder();
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
    return write(batchId, config.settings().sourceLineage(), data);
  }

  /**
   * Writes one batch from a specific source lineage (for example a Spark query id, which
   * survives restarts). See {@link LineagePolicy} for what happens when it changes.
   */
  public BatchResult write(long batchId, String sourceLineage, ArrowReader data) {
    return write(batchId, sourceLineage, source(data));
  }

  /**
   * The source {@link #write(long, String, ArrowReader)} builds for {@code data}: it validates
   * the rows and stages them as this sink's write mode requires. An engine wraps it (to add
   * {@link BatchSource#commitProperties()}, say) and hands it to {@link #write(long, String,
   * BatchSource)}. The caller owns the reader.
   */
  public BatchSource source(ArrowReader data) {
    return config.writeMode().kind() == WriteMode.Kind.APPEND
        ? new ReaderSource(data, config.settings())
        : new KeyedReaderSource(data, config.settings());
  }

  /**
   * Reads this writer's commits back from the table, newest first, among the newest {@link
   * LanceSinkSettings#lookback()} versions, handing each to {@code visitor} until it returns
   * false or a version was removed by cleanup. Commits of other writers are passed over.
   *
   * @return the number of versions read
   * @throws LedgerException when a version cannot be read (it may hold one of the commits)
   */
  public int readCommittedBatches(java.util.function.Predicate<? super CommittedBatch> visitor) {
    return CommitHistory.read(table, config.writerId(), config.settings().lookback(),
        java.util.Objects.requireNonNull(visitor, "visitor"));
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

  /** The sink's settings (credentials redacted in their {@code toString}). */
  public LanceSinkSettings settings() {
    return config.settings();
  }

  /** The clock that stamps this sink's events (the one given to the builder). */
  public Clock clock() {
    return config.clock();
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
    return "LanceSink{" + config.settings() + "}";
  }

  /**
   * Builds a {@link LanceSink} from {@link LanceSinkSettings} plus the runtime hooks that are not
   * settings: a table port, the clock, the sleeper and a Resilience4j {@code RetryRegistry}.
   *
   * <p>The setting setters ({@link #tableUri}, {@link #writerId}, ...) are shortcuts that forward
   * to one {@link LanceSinkSettings.Builder}, where every validation lives; {@link
   * #settings(LanceSinkSettings)} replaces them all at once. Setters reject bad values with
   * {@link IllegalArgumentException}; {@link #build()} rejects missing or conflicting settings
   * with {@link IllegalStateException}.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private LanceSinkSettings.Builder settings = LanceSinkSettings.builder();
    private LanceTable table;
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.SYSTEM;
    private RetryRegistry retryRegistry;

    private Builder() {}

    /**
     * Replaces every setting with {@code settings} (shortcut setters called later change this
     * copy). The way engine adapters and drivers hand over one value.
     */
    public Builder settings(LanceSinkSettings settings) {
      this.settings = Objects.requireNonNull(settings, "settings").toBuilder();
      return this;
    }

    /**
     * Shortcut for {@link LanceSinkSettings.Builder#tableUri}. The table is opened through the
     * adapter found by {@link java.util.ServiceLoader}: add {@code
     * io.github.lancesink:lance-sink-lance} to the classpath, or {@link #build()} fails saying so.
     */
    public Builder tableUri(String uri) {
      settings.tableUri(uri);
      return this;
    }

    /**
     * Writes through a caller-supplied table port instead of opening {@code tableUri}, e.g. the
     * testkit's {@code InMemoryLanceTable}. The sink does not close a supplied table. {@link
     * #build()} checks that the port offers what the settings need: {@link
     * LanceTable#keyedWrites()} for a keyed write mode, {@link LanceTable#maintenance()} for an
     * optimize policy other than {@code OptimizePolicy.never()}.
     */
    public Builder table(LanceTable table) {
      this.table = Objects.requireNonNull(table, "table");
      return this;
    }

    /** Shortcut for {@link LanceSinkSettings.Builder#storageOptions}. */
    public Builder storageOptions(Map<String, String> options) {
      settings.storageOptions(options);
      return this;
    }

    /** Shortcut for {@link LanceSinkSettings.Builder#writerId}. */
    public Builder writerId(String id) {
      settings.writerId(id);
      return this;
    }

    /** Shortcut for {@link LanceSinkSettings.Builder#writeMode}. */
    public Builder writeMode(WriteMode mode) {
      settings.writeMode(mode);
      return this;
    }

    /** Shortcut for {@link LanceSinkSettings.Builder#vectorColumn}. */
    public Builder vectorColumn(String column, int dimension) {
      settings.vectorColumn(column, dimension);
      return this;
    }

    /** Shortcut for {@link LanceSinkSettings.Builder#retryPolicy}. */
    public Builder retryPolicy(RetryPolicy policy) {
      settings.retryPolicy(policy);
      return this;
    }

    /** Shortcut for {@link LanceSinkSettings.Builder#optimizePolicy}. */
    public Builder optimizePolicy(OptimizePolicy policy) {
      settings.optimizePolicy(policy);
      return this;
    }

    /** Shortcut for {@link LanceSinkSettings.Builder#lookback}. */
    public Builder lookback(int versions) {
      settings.lookback(versions);
      return this;
    }

    /** Shortcut for {@link LanceSinkSettings.Builder#sourceLineage}. */
    public Builder sourceLineage(String lineage) {
      settings.sourceLineage(lineage);
      return this;
    }

    /** Shortcut for {@link LanceSinkSettings.Builder#lineagePolicy}. */
    public Builder lineagePolicy(LineagePolicy policy) {
      settings.lineagePolicy(policy);
      return this;
    }

    /** Shortcut for {@link LanceSinkSettings.Builder#schemaEvolution}. */
    public Builder schemaEvolution(SchemaEvolution evolution) {
      settings.schemaEvolution(evolution);
      return this;
    }

    /** The clock that stamps events and measures durations (tests pass a manual clock). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** How the sink waits between retries (tests pass a no-op or recording sleeper). */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /** Registers the sink's Resilience4j retry in the caller's registry (for shared metrics). */
    public Builder retryRegistry(RetryRegistry registry) {
      this.retryRegistry = Objects.requireNonNull(registry, "retryRegistry");
      return this;
    }

    /**
     * Validates the settings and opens the sink. Opening does not touch storage.
     *
     * @throws IllegalStateException when a setting is missing or conflicts, when {@code
     *     tableUri} is set but no table adapter is on the classpath, or when the port lacks a
     *     capability the settings need (keyed writes for a keyed write mode, maintenance for an
     *     optimize policy other than {@code never()})
     */
    public LanceSink build() {
      LanceSinkSettings s = settings.build();
      String tableUri = s.tableUri().orElse(null);
      if (tableUri == null && table == null) {
        throw new IllegalStateException("tableUri (or a table port) is required");
      }
      if (tableUri != null && table != null) {
        throw new IllegalStateException("set either tableUri or table, not both");
      }
      SinkConfig config = new SinkConfig(s, clock, sleeper,
          retryRegistry != null ? retryRegistry : RetryRegistry.ofDefaults());
      boolean owns = table == null;
      LanceTable port = owns ? TablePorts.open(tableUri, s.storageOptions()) : table;
      try {
        Capabilities.check(port, s.writeMode(), s.optimizePolicy());
      } catch (IllegalStateException e) {
        if (owns) {
          port.close();
        }
        throw e;
      }
      return new LanceSink(config, port, owns);
    }
  }
}
