package io.github.lancesink.testkit;

import io.github.lancesink.lance.NativeLanceTable;
import io.github.lancesink.testkit.internal.KeyedScenario;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Randomized crash and fault sequences checked against a reference model after every step: append
 * ({@link CrashSequence}) and every keyed mode ({@link KeyedCrashSequence}). Seed counts default
 * to 200 (fake) and 20 (real Lance) for append, and per keyed mode to 60 (fake) and 5 (real
 * Lance); the {@code soak} Maven profile raises them through system properties.
 */
class RandomizedCrashTest {
  static final long BASE_SEED = Long.getLong("lancesink.seed.base", 20_260_101L);

  @TempDir Path dir;

  /** Purpose: exactly-once under random crashes and faults, on the fake. Pass: every seed. */
  @Test
  void randomCrashSequencesOnTheFake() {
    int seeds = Integer.getInteger("lancesink.seeds.fake", 200);
    for (int i = 0; i < seeds; i++) {
      InMemoryLanceTable table = InMemoryLanceTable.create();
      new CrashSequence(BASE_SEED + i, 8, 30, () -> table).run();
    }
  }

  /** Purpose: the same on real Lance, each process restart opening a new native handle. */
  @Test
  void randomCrashSequencesOnRealLance() {
    int seeds = Integer.getInteger("lancesink.seeds.native", 20);
    for (int i = 0; i < seeds; i++) {
      String uri = dir.resolve("seed-" + i + ".lance").toString();
      new CrashSequence(BASE_SEED + i, 8, 50, () -> new NativeLanceTable(uri, Map.of())).run();
    }
  }

  /**
   * Purpose: exactly-once effect of each keyed mode (upsert, sequenced upsert, change feed with
   * same-version delete+insert ties, replaceGroups) under random crashes, retries, conflicts,
   * ambiguous commits and forgotten checkpoint entries, on the fake. Pass: every seed; after
   * every step the table equals the keyed model's state after the last batch that landed.
   */
  @ParameterizedTest
  @EnumSource(KeyedScenario.Kind.class)
  void keyedCrashSequencesOnTheFake(KeyedScenario.Kind kind) {
    int seeds = Integer.getInteger("lancesink.seeds.keyed.fake", 60);
    for (int i = 0; i < seeds; i++) {
      InMemoryLanceTable table = InMemoryLanceTable.create();
      new KeyedCrashSequence(kind, BASE_SEED + i, () -> table).run();
    }
  }

  /** Purpose: the same on real Lance, each process restart opening a new native handle. */
  @ParameterizedTest
  @EnumSource(KeyedScenario.Kind.class)
  void keyedCrashSequencesOnRealLance(KeyedScenario.Kind kind) {
    int seeds = Integer.getInteger("lancesink.seeds.keyed.native", 5);
    for (int i = 0; i < seeds; i++) {
      String uri = dir.resolve(kind + "-" + i + ".lance").toString();
      new KeyedCrashSequence(kind, BASE_SEED + i, () -> new NativeLanceTable(uri, Map.of()))
          .run();
    }
  }
}
