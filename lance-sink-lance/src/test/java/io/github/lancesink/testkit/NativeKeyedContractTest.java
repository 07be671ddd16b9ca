package io.github.lancesink.testkit;

import io.github.lancesink.lance.NativeLanceTable;
import io.github.lancesink.spi.LanceTable;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;

/** Real Lance passes the keyed contract (24 model seeds, small batches, dim 8). */
class NativeKeyedContractTest extends KeyedTableContract {
  @TempDir Path dir;
  private final AtomicInteger tables = new AtomicInteger();

  @Override
  protected LanceTable newTable() {
    return new NativeLanceTable(dir.resolve("t" + tables.incrementAndGet() + ".lance").toString(),
        Map.of());
  }

  @Override
  protected int modelSeeds() {
    return 24;
  }
}
