package io.github.lancesink.testkit;

import io.github.lancesink.LanceSink;
import io.github.lancesink.LanceSinkSettings;
import io.github.lancesink.policy.Backoff;
import io.github.lancesink.policy.OptimizePolicy;
import io.github.lancesink.policy.RetryPolicy;
import io.github.lancesink.spi.LanceTable;
import io.github.lancesink.spi.StagedFragments;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Hooks and helpers shared by {@link LanceTablePortContract} and {@link LanceTableContract}.
 * Subclasses implement {@link #openTable()} and answer every capability hook ({@link
 * #supportsConcurrentWriters()}, {@link #supportsCompaction()}, {@link #supportsCleanup()});
 * the hooks have no default, so no test is skipped unless the adapter said so. Tests needing a
 * capability the port lacks are skipped (JUnit assumptions).
 *
 * @since 0.1.0
 */
public abstract class LanceTableContractSupport {
  /** The writer id used by the contract's sinks. */
  protected static final String WRITER = "contract-writer";

  private final List<AutoCloseable> closeables = new ArrayList<>();
  private LanceTable table;
  /** An allocator for test batches; closed after each test. */
  protected RootAllocator allocator;
  /** The clock every contract sink uses. */
  protected ManualClock clock;

  /**
   * Opens a handle to THIS test's table. Every call during one test must reach the same storage
   * (the same URI, or the same in-memory instance); a new test gets a new, absent table. The
   * contract closes every handle it opened after the test.
   */
  protected abstract LanceTable openTable();

  /**
   * Whether two handles may write concurrently (threads racing commits). Abstract on purpose:
   * every adapter says yes or no, so the race tests are never skipped by an oversight. When
   * false they are skipped (reported as such by JUnit).
   */
  protected abstract boolean supportsConcurrentWriters();

  /**
   * Whether {@link #compact(LanceTable)} is implemented. Abstract on purpose (see {@link
   * #supportsConcurrentWriters()}): return true and override {@code compact}, or say no.
   */
  protected abstract boolean supportsCompaction();

  /** Compacts the table's fragments the way the real store does (adding non-marker versions). */
  protected void compact(LanceTable table) {
    throw new UnsupportedOperationException("override compact() and supportsCompaction()");
  }

  /**
   * Whether {@link #cleanup(LanceTable, int)} is implemented. Abstract on purpose (see {@link
   * #supportsConcurrentWriters()}): return true and override {@code cleanup}, or say no.
   */
  protected abstract boolean supportsCleanup();

  /** Removes every version but the newest {@code keepLast}. */
  protected void cleanup(LanceTable table, int keepLast) {
    throw new UnsupportedOperationException("override cleanup() and supportsCleanup()");
  }

  /** The vector dimension of contract batches (default 8). */
  protected int dimension() {
    return 8;
  }

  @BeforeEach
  void setUpContract() {
    allocator = new RootAllocator(Long.MAX_VALUE);
    clock = new ManualClock();
  }

  @AfterEach
  void tearDownContract() throws Exception {
    Exception first = null;
    for (int i = closeables.size() - 1; i >= 0; i--) {
      try {
        closeables.get(i).close();
      } catch (Exception e) {
        first = first == null ? e : first;
      }
    }
    closeables.clear();
    table = null;
    allocator.close();
    if (first != null) {
      throw first;
    }
  }

  /** The test's main table handle (opened on first use). */
  protected final LanceTable table() {
    if (table == null) {
      table = newHandle();
    }
    return table;
  }

  /** Opens and tracks another handle to the test's table. */
  protected final LanceTable newHandle() {
    return track(openTable());
  }

  /** Closes {@code c} after the test. */
  protected final <T extends AutoCloseable> T track(T c) {
    closeables.add(c);
    return c;
  }

  /** A contract sink on {@code port}: writer {@link #WRITER}, fast retries, no maintenance. */
  protected final LanceSink sink(LanceTable port) {
    return sink(port, b -> b);
  }

  /** The contract sinks' settings: writer {@link #WRITER}, fast retries, no maintenance. */
  protected final LanceSinkSettings settings() {
    return LanceSinkSettings.builder()
        .writerId(WRITER)
        .vectorColumn("vector", dimension())
        .retryPolicy(RetryPolicy.builder().maxAttempts(8).backoff(Backoff.none()).build())
        .optimizePolicy(OptimizePolicy.never())
        .build();
  }

  /** Like {@link #sink(LanceTable)} with extra settings applied by {@code customize}. */
  protected final LanceSink sink(LanceTable port, UnaryOperator<LanceSink.Builder> customize) {
    LanceSink.Builder b = LanceSink.builder()
        .settings(settings())
        .table(port)
        .clock(clock)
        .sleeper(RecordingSleeper.advancing(clock));
    return track(customize.apply(b).build());
  }

  /** Ids {@code [first, first + n)} as a batch of the contract's dimension. */
  protected final TestBatch batch(long first, int n) {
    return TestBatch.sequential(first, n, dimension());
  }

  /** Writes {@code batch} through {@code sink}. */
  protected final io.github.lancesink.BatchResult write(LanceSink sink, long id, TestBatch batch) {
    try (ArrowReader r = batch.open(allocator)) {
      return sink.write(id, r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes {@code batch} through {@code sink} with source lineage {@code lineage}. */
  protected final io.github.lancesink.BatchResult write(LanceSink sink, long id, String lineage,
      TestBatch batch) {
    try (ArrowReader r = batch.open(allocator)) {
      return sink.write(id, lineage, r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stages {@code batch} as uncommitted fragments through the port. */
  protected final StagedFragments stage(LanceTable port, TestBatch batch) {
    try (ArrowReader r = batch.open(allocator)) {
      return port.writeFragments(r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Creates the table with the contract batch schema and commits {@code batch} with props. */
  protected final long createAndAppend(LanceTable port, TestBatch batch,
      java.util.Map<String, String> properties) {
    port.createIfAbsent(batch.schema());
    StagedFragments s = stage(port, batch);
    return port.commitAppend(port.latestVersion().orElseThrow(), List.of(s), properties);
  }
}
