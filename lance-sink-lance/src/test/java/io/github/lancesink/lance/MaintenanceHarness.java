package io.github.lancesink.lance;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lancesink.BatchResult;
import io.github.lancesink.LanceSink;
import io.github.lancesink.TestRows;
import io.github.lancesink.event.SinkEvent;
import io.github.lancesink.policy.OptimizePolicy;
import io.github.lancesink.spi.LanceTable;
import io.github.lancesink.testkit.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.ipc.ArrowReader;

/** A sink on a real Lance table in a temp dir, with a manual clock and recorded events. */
final class MaintenanceHarness implements AutoCloseable {
  static final int DIM = 16;

  final Path uri;
  final ManualClock clock = new ManualClock(java.time.Instant.parse("2026-05-04T10:00:00Z"));
  final NativeLanceTable table;
  final LanceSink sink;
  final List<SinkEvent> events = new CopyOnWriteArrayList<>();
  final RootAllocator alloc = new RootAllocator();

  MaintenanceHarness(Path dir, OptimizePolicy policy, int lookback) {
    this(dir, policy, lookback, "w");
  }

  MaintenanceHarness(Path dir, OptimizePolicy policy, int lookback, String writerId) {
    this.uri = dir.resolve("t.lance");
    this.table = new NativeLanceTable(uri.toString(), Map.of());
    this.sink = LanceSink.builder().table(table).writerId(writerId).vectorColumn("vector", DIM)
        .optimizePolicy(policy).lookback(lookback).clock(clock).build();
    sink.events().onEvent(events::add);
  }

  /** A policy with every trigger off: tests turn on what they need. */
  static OptimizePolicy.Builder quiet() {
    return OptimizePolicy.builder().everyCommits(1_000_000).interval(Duration.ZERO)
        .maxFragments(0).maxUnindexedRows(0).maxDeletedRatio(0).indexMinRows(0)
        .retrainDrift(0).retryBackoff(Duration.ofMinutes(1)).compactionFanIn(3)
        .mode(io.github.lancesink.policy.MaintenanceMode.INLINE);
  }

  BatchResult write(long batchId, int rows) {
    try (ArrowReader r = TestRows.reader(alloc, batchId * 1000, rows, DIM)) {
      return sink.write(batchId, r);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Writes with another sink (another writer id, its own table handle) into the same table. */
  static BatchResult writeWithOtherSink(Path uri, long batchId, long firstId, int rows) {
    try (RootAllocator a = new RootAllocator();
        LanceSink other = LanceSink.builder().tableUri(uri.toString()).writerId("other")
            .vectorColumn("vector", DIM).optimizePolicy(OptimizePolicy.never()).build();
        ArrowReader r = TestRows.reader(a, firstId, rows, DIM)) {
      return other.write(batchId, r);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** All ids of the latest version. */
  static List<Long> ids(LanceTable t) throws Exception {
    List<Long> ids = new ArrayList<>();
    try (ArrowReader scan = t.scan(OptionalLong.empty(), List.of("id"))) {
      while (scan.loadNextBatch()) {
        BigIntVector v = (BigIntVector) scan.getVectorSchemaRoot().getVector("id");
        for (int i = 0; i < v.getValueCount(); i++) {
          ids.add(v.get(i));
        }
      }
    }
    return ids;
  }

  <E extends SinkEvent> List<E> events(Class<E> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }

  List<String> ran(boolean succeeded) {
    return events(SinkEvent.MaintenanceRan.class).stream()
        .filter(e -> e.succeeded() == succeeded).map(SinkEvent.MaintenanceRan::action).toList();
  }

  /** The last batch id a cold sink (new instance, new table handle) finds in the ledger. */
  OptionalLong coldLastBatch(String writerId, int lookback) {
    try (LanceSink cold = LanceSink.builder().tableUri(uri.toString()).writerId(writerId)
        .lookback(lookback).optimizePolicy(OptimizePolicy.never()).build()) {
      return cold.lastCommittedBatchId();
    }
  }

  void assertCommitted(BatchResult r) {
    assertThat(r.outcome()).isEqualTo(BatchResult.Outcome.COMMITTED);
  }

  @Override
  public void close() {
    sink.close();
    table.close();
    alloc.close();
  }
}
