package io.github.lancesink.keyed;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lancesink.BatchResult;
import io.github.lancesink.LanceSink;
import io.github.lancesink.internal.lance.NativeLanceTable;
import io.github.lancesink.keyed.FaultyTable.Fault;
import io.github.lancesink.policy.OptimizePolicy;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lance.Dataset;
import org.lance.compaction.CompactionOptions;

/**
 * Reference-model property test on real Lance: random upsert / sequenced upsert / change-feed
 * batches over a small key universe, with a random fault per batch (transient failure,
 * conflict, ambiguous commit that did or did not land, crash while staging, crash before or
 * after the commit followed by a restart and replay, a real concurrent compaction between the
 * lookup's read version and the commit) and random replays of committed batches. After every
 * batch the table must equal the in-memory model: exactly-once at every crash point.
 */
class KeyedModelPropertyTest {
  static final int SEEDS = 24;
  static final int BATCHES = 8;

  @TempDir Path dir;

  static java.util.stream.LongStream seeds() {
    return java.util.stream.LongStream.range(0, SEEDS);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void tableEqualsModelUnderFaultsAndReplays(long seed) throws Exception {
    KeyedScenario scenario = new KeyedScenario(seed, BATCHES);
    Random rnd = new Random(seed * 31 + 7);
    String uri = dir.resolve("t" + seed + ".lance").toString();
    Runnable compaction = () -> {
      try (Dataset ds = Dataset.open().uri(uri).build()) {
        ds.compact(CompactionOptions.builder().withMaterializeDeletions(true)
            .withMaterializeDeletionsThreshold(0.0f).build());
      }
    };
    try (RootAllocator alloc = new RootAllocator()) {
      Process p = new Process(uri, scenario, compaction);
      try {
        for (int b = 0; b < scenario.steps.size(); b++) {
          if (b > 0 && rnd.nextInt(4) == 0) {
            int old = rnd.nextInt(b);
            assertThat(p.write(old, scenario.steps.get(old).batch(), alloc).outcome())
                .as("replay of committed batch %d", old)
                .isEqualTo(BatchResult.Outcome.SKIPPED_DUPLICATE);
          }
          Fault fault = rnd.nextInt(3) == 0 ? null
              : Fault.values()[rnd.nextInt(Fault.values().length)];
          if (fault != null) {
            p.table.inject(fault);
          }
          BatchResult result;
          try {
            result = p.write(b, scenario.steps.get(b).batch(), alloc);
          } catch (FaultyTable.Crash crash) {
            p.close();
            p = new Process(uri, scenario, compaction); // restart, Spark replays the batch
            result = p.write(b, scenario.steps.get(b).batch(), alloc);
            assertThat(result.outcome()).as("replay after %s", fault).isEqualTo(
                fault == Fault.CRASH_AFTER_COMMIT ? BatchResult.Outcome.SKIPPED_DUPLICATE
                    : BatchResult.Outcome.COMMITTED);
          }
          assertThat(result.outcome()).isNotEqualTo(BatchResult.Outcome.EMPTY);
          Map<Long, Long> expected = scenario.steps.get(b).after();
          assertThat(KeyedBatch.read(p.table, OptionalLong.empty()))
              .as("seed %d mode %s batch %d fault %s", seed, scenario.mode, b, fault)
              .isEqualTo(expected);
        }
        assertThat(p.sink.lastCommittedBatchId()).hasValue(scenario.steps.size() - 1);
      } finally {
        p.close();
      }
    }
  }

  /** One "process": a table connection and a sink with a cold ledger. */
  private static final class Process implements AutoCloseable {
    final FaultyTable table;
    final LanceSink sink;

    Process(String uri, KeyedScenario scenario, Runnable compaction) {
      this.table = new FaultyTable(new NativeLanceTable(uri, Map.of()), compaction);
      this.sink = LanceSink.builder()
          .table(table)
          .writerId("model")
          .writeMode(scenario.mode)
          .vectorColumn("vector", KeyedBatch.DIM)
          .optimizePolicy(OptimizePolicy.never())
          .sleeper(d -> { })
          .build();
    }

    BatchResult write(long batchId, KeyedBatch batch, RootAllocator alloc) throws Exception {
      try (ArrowReader r = batch.reader(alloc)) {
        return sink.write(batchId, r);
      }
    }

    @Override
    public void close() {
      sink.close();
      table.close();
    }
  }
}
