package io.github.lancesink.testkit;

import io.github.lancesink.lance.NativeLanceTable;
import io.github.lancesink.spi.LanceTable;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/** Real Lance passes the keyed contract (24 model seeds, small batches, dim 8). */
class NativeKeyedContractTest extends KeyedTableContract {
  @TempDir Path dir;

  @Override
  protected LanceTable openTable() {
    return new NativeLanceTable(dir.resolve("table.lance").toString(), Map.of());
  }

  @Override
  protected boolean supportsConcurrentWriters() {
    return true;
  }

  @Override
  protected boolean supportsCompaction() {
    return false; // the keyed contract does not compact
  }

  @Override
  protected boolean supportsCleanup() {
    return false; // the keyed contract does not clean up
  }

  @Override
  protected int modelSeeds() {
    return 24;
  }
}
