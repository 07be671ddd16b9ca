package io.github.lancesink.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lancesink.BatchResult;
import io.github.lancesink.LanceSink;
import io.github.lancesink.WriteMode;
import io.github.lancesink.spi.KeyedChange;
import io.github.lancesink.spi.KeyedCommit;
import io.github.lancesink.spi.KeyedWrites;
import io.github.lancesink.spi.LanceTable;
import io.github.lancesink.spi.StagedFragments;
import io.github.lancesink.spi.VersionProperties;
import io.github.lancesink.testkit.internal.KeyedRows;
import io.github.lancesink.testkit.internal.KeyedRows.Row;
import io.github.lancesink.testkit.internal.KeyedScenario;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.ArgumentsProvider;
import org.junit.jupiter.params.provider.ArgumentsSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * The keyed operations of the {@link LanceTable} port ({@code ensureKeyIndex}, {@code
 * commitKeyed}) and the keyed write modes built on them. Every adapter extends this class; the
 * in-memory fake and the real Lance adapter both pass it, which is what proves the fake tells
 * the truth about keyed writes.
 *
 * <p>It joins the same chain and hooks as {@link LanceTableContract}: subclasses implement
 * {@link #openTable()} (a handle to THIS test's table; every test, and every seed of the model
 * test, gets a new, absent table) and answer the capability hooks of {@link
 * LanceTableContractSupport}, and may lower {@link #modelSeeds()} for slow adapters.
 *
 * @since 0.1.0
 */
public abstract class KeyedTableContract extends LanceTableContractSupport {

  /**
   * Seeds of the reference-model test (default 200). Read from a throwaway instance of the
   * test class before the tests run, so return a constant.
   */
  protected int modelSeeds() {
    return 200;
  }

  /**
   * Purpose: {@code commitKeyed} removes exactly the stored rows of the change's keys and adds
   * the staged rows in ONE version carrying the properties. Steps: store ids 1..5; commit a
   * change replacing 2 and 3, deleting 5 and the absent 9, adding rows 2', 3', 6. Pass: one new
   * version, its properties are readable, removed rows = 3, absent deletes = 1, the new version
   * holds 1, 2', 3', 4, 6 and the previous version still holds the old rows.
   */
  @Test
  void commitKeyedReplacesAndDeletesByKeyInOneVersion() throws Exception {
    try (LanceTable table = openTable()) {
      KeyedRows seed = KeyedRows.upsert();
      for (long id = 1; id <= 5; id++) {
        seed.add(Row.of(id, id * 10));
      }
      table.createIfAbsent(seed.schema());
      long v1;
      try (ArrowReader r = seed.reader(allocator)) {
        v1 = table.commitAppend(table.latestVersion().getAsLong(),
            List.of(table.writeFragments(r)), Map.of());
      }
      KeyedWrites keyed = table.keyedWrites().orElseThrow(() -> new AssertionError(
          "a port under the keyed contract must offer keyedWrites()"));
      keyed.ensureKeyIndex(List.of("id"));
      KeyedRows next = KeyedRows.upsert().add(Row.of(2, 21)).add(Row.of(3, 31))
          .add(Row.of(6, 60));
      StagedFragments staged;
      try (ArrowReader r = next.reader(allocator)) {
        staged = table.writeFragments(r);
      }
      long read = table.latestVersion().getAsLong();
      KeyedChange change = new KeyedChange(List.of("id"),
          Set.of(List.of(2L), List.of(3L), List.of(6L)), Set.of(List.of(5L), List.of(9L)));
      KeyedCommit done = keyed.commitKeyed(read, change, List.of(staged), Map.of("k", "v"));
      assertThat(done.version()).isEqualTo(read + 1);
      assertThat(done.removedRows()).isEqualTo(3);
      assertThat(done.absentDeletes()).isEqualTo(1);
      VersionProperties p = table.properties(done.version());
      assertThat(p.kind()).isEqualTo(VersionProperties.Kind.PRESENT);
      assertThat(p.properties()).containsEntry("k", "v");
      assertThat(KeyedRows.read(table, OptionalLong.empty()))
          .isEqualTo(Map.of(1L, 10L, 2L, 21L, 3L, 31L, 4L, 40L, 6L, 60L));
      assertThat(KeyedRows.read(table, OptionalLong.of(v1)))
          .isEqualTo(Map.of(1L, 10L, 2L, 20L, 3L, 30L, 4L, 40L, 5L, 50L));
    }
  }

  /**
   * Purpose: a Delta overwrite or {@code replaceWhere} writes a delete and an insert of the same
   * key in ONE {@code _commit_version}; the insert is the key's final state whatever the row
   * order in the batch (ChangeFeed.precedence). Steps: store ids 1..4; one CDC batch where, at
   * version 7, id 1 has its delete AFTER its insert, id 2 its delete BEFORE its insert (in
   * another Arrow record batch), id 3 only a delete and id 5 (absent) a delete then an insert;
   * a second batch where id 2 is deleted at version 8 and re-inserted at version 9, the delete
   * row last.
   * Pass: after batch 1 the table holds 1', 2', 4, 5'; after batch 2, 1', 2'', 4, 5'.
   */
  @Test
  void sameVersionDeleteAndInsertKeepTheKeyWhateverTheRowOrder() throws Exception {
    try (LanceTable table = openTable();
        LanceSink sink = sink(table, WriteMode.cdc("id"))) {
      KeyedRows seed = KeyedRows.cdc();
      for (long id = 1; id <= 4; id++) {
        seed.add(Row.change(id, id * 10, "insert", 1));
      }
      write(sink, 0, seed);
      KeyedRows overwrite = KeyedRows.cdc().chunked(3).add(List.of(
          Row.change(1, 11, "insert", 7),
          Row.change(1, 10, "delete", 7),
          Row.change(3, 30, "delete", 7),
          Row.change(2, 20, "delete", 7),
          Row.change(5, 50, "delete", 7),
          Row.change(2, 21, "insert", 7),
          Row.change(5, 51, "insert", 7)));
      assertThat(write(sink, 1, overwrite).outcome()).isEqualTo(BatchResult.Outcome.COMMITTED);
      assertThat(KeyedRows.read(table, OptionalLong.empty()))
          .isEqualTo(Map.of(1L, 11L, 2L, 21L, 4L, 40L, 5L, 51L));
      KeyedRows later = KeyedRows.cdc().add(List.of(
          Row.change(2, 22, "insert", 9),
          Row.change(2, 21, "delete", 8)));
      write(sink, 2, later);
      assertThat(KeyedRows.read(table, OptionalLong.empty()))
          .isEqualTo(Map.of(1L, 11L, 2L, 22L, 4L, 40L, 5L, 51L));
    }
  }

  /**
   * Purpose: a reader never sees a mixed group. Steps: 8 batches in replaceGroups mode, each
   * replacing 1-3 random groups with a new generation of rows; then read every version. Pass:
   * each version shows exactly the latest generation (as of that version) of every group.
   */
  @Test
  void replaceGroupsNeverShowsAMixedGroupAtAnyVersion() throws Exception {
    Random rnd = new Random(7);
    String[] groups = {"a", "b", "c"};
    Map<String, Map<Long, Map<Long, Long>>> written = new HashMap<>();
    TreeMap<Long, Map<String, Long>> installs = new TreeMap<>();
    long nextId = 0;
    try (LanceTable table = openTable();
        LanceSink sink = sink(table, WriteMode.replaceGroups("grp"))) {
      for (long batch = 1; batch <= 8; batch++) {
        KeyedRows b = KeyedRows.upsert().chunked(2);
        Map<String, Long> gens = new HashMap<>();
        for (int i = 0; i < 1 + rnd.nextInt(3); i++) {
          String g = groups[rnd.nextInt(groups.length)];
          if (gens.containsKey(g)) {
            continue;
          }
          Map<Long, Long> rows = new HashMap<>();
          for (int k = 0; k <= rnd.nextInt(3); k++) {
            long id = nextId++;
            rows.put(id, batch * 1000 + id);
            b.add(Row.grouped(id, g, batch * 1000 + id));
          }
          written.computeIfAbsent(g, x -> new HashMap<>()).put(batch, rows);
          gens.put(g, batch);
        }
        try (ArrowReader r = b.reader(allocator)) {
          installs.put(sink.write(batch, r).version().getAsLong(), gens);
        }
      }
      for (long v = 1; v <= table.latestVersion().getAsLong(); v++) {
        Map<String, Long> state = new HashMap<>();
        installs.headMap(v, true).values().forEach(state::putAll);
        Map<Long, Long> expected = new HashMap<>();
        state.forEach((g, gen) -> expected.putAll(written.get(g).get(gen)));
        assertThat(KeyedRows.read(table, OptionalLong.of(v))).as("version %d", v)
            .isEqualTo(expected);
      }
    }
  }

  /**
   * Purpose: exactly-once effect of every keyed mode under faults. Steps: a random scenario
   * (upsert, sequenced upsert or change feed over 12 keys, or replaceGroups over 4 groups; 8
   * batches); per batch maybe replay an older batch, maybe inject a fault (transient failure, conflict, ambiguous commit that did or
   * did not land, crash before write, after staging or after the commit, each followed by a
   * restart with a cold ledger and a replay). Pass: replays are skipped, and after every batch
   * the table equals the in-memory model map.
   */
  @ParameterizedTest(name = "seed {0}")
  @ArgumentsSource(Seeds.class)
  void keyedWritesMatchTheReferenceModelUnderFaults(long seed) throws Exception {
    KeyedScenario scenario = new KeyedScenario(seed, 8);
    Random rnd = new Random(seed * 31 + 7);
    Faults faults = new Faults();
    try (LanceTable base = openTable()) {
      FaultInjectingTable table = new FaultInjectingTable(base, faults);
      LanceSink sink = sink(table, scenario.mode);
      try {
        for (int b = 0; b < scenario.steps.size(); b++) {
          if (b > 0 && rnd.nextInt(4) == 0) {
            int old = rnd.nextInt(b);
            assertThat(write(sink, old, scenario.steps.get(old).batch()).outcome())
                .as("replay of committed batch %d", old)
                .isEqualTo(BatchResult.Outcome.SKIPPED_DUPLICATE);
          }
          String fault = arm(faults, rnd);
          BatchResult result;
          try {
            result = write(sink, b, scenario.steps.get(b).batch());
          } catch (SimulatedCrash crash) {
            sink.close();
            sink = sink(table, scenario.mode); // a restarted process: cold ledger, replay
            result = write(sink, b, scenario.steps.get(b).batch());
            assertThat(result.outcome()).as("replay after %s", crash.point()).isEqualTo(
                crash.point() == CrashPoint.AFTER_COMMIT_BEFORE_RESULT
                    ? BatchResult.Outcome.SKIPPED_DUPLICATE : BatchResult.Outcome.COMMITTED);
          }
          faults.clear();
          assertThat(KeyedRows.read(table, OptionalLong.empty()))
              .as("seed %d mode %s batch %d fault %s", seed, scenario.mode, b, fault)
              .isEqualTo(scenario.steps.get(b).after());
        }
        assertThat(sink.lastCommittedBatchId()).hasValue(scenario.steps.size() - 1);
      } finally {
        sink.close();
      }
    }
  }

  /**
   * Purpose: two sinks sharing a writer id race on the same keyed batch; it lands once. Steps:
   * store ids 0..3; sink B stages batch 1 (replacing id 1 and adding id 7, or only adding ids 8
   * and 9), and right before B commits, sink A writes the same batch 1 completely. Pass: B
   * reports {@code SKIPPED_DUPLICATE} (after a conflict or after reverting its rebased commit),
   * and the table holds every key exactly once with the batch's values.
   */
  @ParameterizedTest(name = "new keys only: {0}")
  @ValueSource(booleans = {false, true})
  void sameWriterRacingOnAKeyedBatchLandsItOnce(boolean newKeysOnly) throws Exception {
    try (LanceTable shared = openTable()) {
      Faults faults = new Faults();
      LanceSink a = sink(shared, WriteMode.upsert("id"));
      LanceSink b = sink(new FaultInjectingTable(shared, faults), WriteMode.upsert("id"));
      KeyedRows seed = KeyedRows.upsert();
      Map<Long, Long> expected = new HashMap<>();
      for (long id = 0; id < 4; id++) {
        seed.add(Row.of(id, id));
        expected.put(id, id);
      }
      assertThat(write(a, 0, seed).committed()).isTrue();
      KeyedRows batch = KeyedRows.upsert();
      for (long id : newKeysOnly ? new long[] {8, 9} : new long[] {1, 7}) {
        batch.add(Row.of(id, 100 + id));
        expected.put(id, 100 + id);
      }
      b.lastCommittedBatchId(); // B's ledger is warm and behind once A commits
      faults.beforeNextCommit(() -> {
        try {
          assertThat(write(a, 1, batch).committed()).isTrue();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      assertThat(write(b, 1, batch).outcome()).as("new keys only: %s", newKeysOnly)
          .isEqualTo(BatchResult.Outcome.SKIPPED_DUPLICATE);
      assertThat(KeyedRows.read(shared, OptionalLong.empty())).isEqualTo(expected);
      a.close();
      b.close();
    }
  }

  private static String arm(Faults faults, Random rnd) {
    switch (rnd.nextInt(9)) {
      case 0 -> faults.failNextCommits(1 + rnd.nextInt(2));
      case 1 -> faults.conflictOnNextCommits(1);
      case 2 -> faults.throwStateUnknownWithoutCommit(1);
      case 3 -> faults.commitThenThrowStateUnknown(1);
      case 4 -> faults.crashAt(CrashPoint.BEFORE_WRITE);
      case 5 -> faults.crashAt(CrashPoint.AFTER_FRAGMENTS_WRITTEN);
      case 6 -> faults.crashAt(CrashPoint.AFTER_COMMIT_BEFORE_RESULT);
      default -> {
        return "none";
      }
    }
    return faults.toString();
  }

  /** A sink the test closes itself (a crash discards it): the contract settings in {@code mode}. */
  private LanceSink sink(LanceTable table, WriteMode mode) {
    return LanceSink.builder()
        .settings(settings().toBuilder().writeMode(mode).vectorColumn("vector", KeyedRows.DIM)
            .build())
        .table(table)
        .clock(clock)
        .sleeper(d -> { })
        .build();
  }

  /** The model test's seeds: {@code modelSeeds()} of a throwaway instance of the test class. */
  static final class Seeds implements ArgumentsProvider {
    @Override
    public Stream<? extends Arguments> provideArguments(ExtensionContext context) {
      Object test = ReflectionSupport.newInstance(context.getRequiredTestClass());
      return LongStream.range(0, ((KeyedTableContract) test).modelSeeds()).mapToObj(Arguments::of);
    }
  }

  private BatchResult write(LanceSink sink, long batchId, KeyedRows batch) throws Exception {
    try (ArrowReader r = batch.reader(allocator)) {
      return sink.write(batchId, r);
    }
  }

}
