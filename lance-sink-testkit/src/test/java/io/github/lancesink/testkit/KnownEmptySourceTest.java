package io.github.lancesink.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lancesink.BatchResult;
import io.github.lancesink.LanceSink;
import io.github.lancesink.spi.BatchSource;
import io.github.lancesink.spi.LanceTable;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;

/** The protocol asks every source {@link BatchSource#isKnownEmpty(long)} before staging. */
class KnownEmptySourceTest {

  /**
   * Purpose: an engine's source that knows it is empty is never staged. Steps: write one batch
   * from a source that answers isKnownEmpty(batchId) = true. Pass: EMPTY, stage() never called,
   * the table not even created, isKnownEmpty asked with the batch id.
   */
  @Test
  void aSourceThatKnowsItIsEmptyIsNeitherStagedNorCreatesTheTable() {
    Schema schema = TestBatch.sequential(0, 1, 4).schema();
    AtomicInteger staged = new AtomicInteger();
    AtomicInteger askedFor = new AtomicInteger(-1);
    BatchSource empty = new BatchSource() {
      @Override
      public Schema schema() {
        return schema;
      }

      @Override
      public boolean isKnownEmpty(long batchId) {
        askedFor.set((int) batchId);
        return true;
      }

      @Override
      public Staged stage(LanceTable table, long batchId) {
        staged.incrementAndGet();
        throw new AssertionError("a known-empty source must not be staged");
      }
    };
    try (InMemoryLanceTable table = InMemoryLanceTable.create();
        LanceSink sink = LanceSink.builder().table(table).writerId("w")
            .vectorColumn("vector", 4).build()) {
      BatchResult r = sink.write(7, "", empty);
      assertThat(r.outcome()).isEqualTo(BatchResult.Outcome.EMPTY);
      assertThat(staged).hasValue(0);
      assertThat(askedFor).hasValue(7);
      assertThat(table.latestVersion()).isEmpty();
    }
  }
}
