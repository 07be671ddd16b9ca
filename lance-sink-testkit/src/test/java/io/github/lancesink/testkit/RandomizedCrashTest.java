package io.github.lancesink.testkit;

import io.github.lancesink.internal.lance.NativeLanceTable;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Randomized crash and fault sequences checked against a reference model after every step (see
 * {@link CrashSequence}). Seed counts default to 200 (fake) and 20 (real Lance); the {@code soak}
 * Maven profile raises them through system properties.
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
}
