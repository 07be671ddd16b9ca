package io.github.lancesink.testkit;

import io.github.lancesink.BatchResult;
import io.github.lancesink.LanceSink;
import io.github.lancesink.LanceSinkSettings;
import io.github.lancesink.Sleeper;
import io.github.lancesink.event.SinkEvent;
import io.github.lancesink.spi.LanceTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;

/**
 * Simulates Spark's {@code foreachBatch} delivery synchronously, without Spark: input is
 * {@linkplain #submit submitted}, each {@link #step()} plans one batch (offsets log), calls
 * {@link LanceSink#write(long, String, org.apache.arrow.vector.ipc.ArrowReader)} and then
 * acknowledges it (commits log). A {@link SimulatedCrash} at a named {@link CrashPoint} kills the
 * "process": the sink instance is discarded and {@link #restart()} builds a new one (a cold
 * ledger), and the unacknowledged batch is replayed with the same id and the same input,
 * exactly as Spark replays from its checkpoint.
 *
 * <p>The driver owns the wiring, as Kafka's {@code TopologyTestDriver} does: on every (re)start
 * it builds the sink from the {@link LanceSinkSettings} and applies the table, the table's
 * {@link Faults}, the driver's clock and the sleeper itself.
 *
 * <pre>{@code
 * try (InMemoryLanceTable table = InMemoryLanceTable.create();
 *     MicroBatchDriver driver = MicroBatchDriver.builder()
 *         .table(table)        // its Faults drive the table-level crash points
 *         .settings(LanceSinkSettings.builder().writerId("w").build())
 *         .build()) {
 *   driver.submit(TestBatch.sequential(0, 10, 8));
 *   driver.crashOnNextBatch(CrashPoint.AFTER_COMMIT_BEFORE_RESULT);
 *   driver.runToCompletion();     // crashes, restarts, replays batch 0: SKIPPED_DUPLICATE
 * }
 * }</pre>
 *
 * <p>Any other exception thrown by the sink stops the stream (as it fails a Spark query) and is
 * rethrown; call {@link #restart()} to continue. Not thread-safe.
 *
 * @since 0.1.0
 */
public final class MicroBatchDriver extends AbstractBatchDriver<BatchData, MicroBatchDriver> {
  private final Builder wiring;
  private final RootAllocator allocator;
  private LanceSink sink;

  private MicroBatchDriver(Builder b) {
    super(b);
    JvmFlags.requireArrow();
    this.wiring = b;
    this.allocator = new RootAllocator(Long.MAX_VALUE);
    startProcess();
  }

  /** A builder; {@code settings} and a table ({@code table} or {@code tables}) are required. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  protected boolean running() {
    return sink != null;
  }

  @Override
  protected void startProcess() {
    Builder b = wiring;
    LanceTable port = b.tables == null ? b.table : new FaultInjectingTable(
        Objects.requireNonNull(b.tables.get(), "the table opener returned null"), b.faults());
    Sleeper sleeper = b.sleeper != null ? b.sleeper : RecordingSleeper.advancing(clock());
    LanceSink.Builder sb = LanceSink.builder().settings(b.settings).table(port).clock(clock())
        .sleeper(sleeper);
    LanceSink s = Objects.requireNonNull(b.customize.apply(sb), "the sink customizer returned"
        + " null").build();
    b.listeners.forEach(s.events()::onEvent);
    sink = s;
  }

  @Override
  protected void stopProcess() {
    LanceSink s = sink;
    sink = null;
    if (s != null) {
      s.close(); // a sink never closes a table it was given: the caller owns the tables
    }
  }

  @Override
  protected Optional<BatchResult> deliver(long batchId, String queryId, BatchData input)
      throws Exception {
    try (ArrowReader reader = input.open(allocator)) {
      return Optional.of(sink.write(batchId, queryId, reader));
    }
  }

  /** The live sink, or empty while the stream is stopped. */
  public Optional<LanceSink> sink() {
    return Optional.ofNullable(sink);
  }

  /**
   * The fault script of the table the sinks write to: arm commit failures, conflicts or
   * ambiguous commits on it ({@link #crashOnNextBatch} arms crashes).
   */
  public Faults faults() {
    return wiring.faults();
  }

  /** Closes the live sink and the driver's allocator (not the tables: the caller owns them). */
  @Override
  public void close() {
    try {
      stopProcess();
    } finally {
      allocator.close();
    }
  }

  /**
   * Builds a {@link MicroBatchDriver}: the sink settings, the table, and optional runtime hooks.
   * The driver applies the table, its faults, its clock and the sleeper to every sink it starts.
   *
   * @since 0.1.0
   */
  public static final class Builder extends AbstractBatchDriver.Builder<Builder> {
    private LanceSinkSettings settings;
    private LanceTable table;
    private Supplier<? extends LanceTable> tables;
    private Sleeper sleeper;
    private UnaryOperator<LanceSink.Builder> customize = UnaryOperator.identity();
    private final List<Consumer<? super SinkEvent>> listeners = new ArrayList<>();

    private Builder() {}

    /** The sink settings (required); leave their table URI unset, the driver gives the table. */
    public Builder settings(LanceSinkSettings settings) {
      this.settings = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /**
     * The one table every (re)started sink writes to; the caller closes it. Table-level crash
     * points and {@link MicroBatchDriver#faults()} use its {@link Faults}: the in-memory fake's
     * own, a {@link FaultInjectingTable}'s, or, for any other port, those of a {@link
     * FaultInjectingTable} the driver wraps around it.
     */
    public Builder table(LanceTable table) {
      Objects.requireNonNull(table, "table");
      if (table instanceof InMemoryLanceTable fake) {
        useFaults(fake.faults());
        this.table = fake;
      } else if (table instanceof FaultInjectingTable faulty) {
        useFaults(faulty.faults());
        this.table = faulty;
      } else {
        Faults f = new Faults();
        useFaults(f);
        this.table = new FaultInjectingTable(table, f);
      }
      return this;
    }

    /**
     * Opens a NEW handle to the same table for every (re)started sink, as a restarted process
     * would; the driver wraps it with its own {@link Faults} ({@link MicroBatchDriver#faults()}).
     * The caller closes the handles it opened.
     */
    public Builder tables(Supplier<? extends LanceTable> opener) {
      this.tables = Objects.requireNonNull(opener, "opener");
      useFaults(new Faults());
      return this;
    }

    /** How the sinks wait between retries (default: advance the driver's clock). */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /**
     * Applies further runtime hooks to each sink builder after the driver's wiring, e.g. a
     * {@code retryRegistry}. Sink settings belong in {@link #settings}.
     */
    public Builder sink(UnaryOperator<LanceSink.Builder> customize) {
      this.customize = Objects.requireNonNull(customize, "customize");
      return this;
    }

    /** Subscribes {@code listener} to the events of every sink the driver starts. */
    public Builder onEvent(Consumer<? super SinkEvent> listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** Validates the wiring and starts the first "process". */
    public MicroBatchDriver build() {
      if (settings == null) {
        throw new IllegalStateException("settings are required:"
            + " .settings(LanceSinkSettings.builder().writerId(..).build())");
      }
      if (table == null && tables == null) {
        throw new IllegalStateException("a table is required: .table(InMemoryLanceTable"
            + ".create()), any port, or .tables(opener) for a new handle per restart");
      }
      if (table != null && tables != null) {
        throw new IllegalStateException("set either table(..) or tables(..), not both");
      }
      if (settings.tableUri().isPresent()) {
        throw new IllegalStateException("the settings name a tableUri ("
            + "LanceSinkSettings.tableUri) and the driver gives the table: leave the URI unset");
      }
      return new MicroBatchDriver(this);
    }
  }
}
