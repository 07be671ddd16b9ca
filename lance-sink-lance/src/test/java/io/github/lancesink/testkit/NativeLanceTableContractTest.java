package io.github.lancesink.testkit;

import io.github.lancesink.lance.NativeLanceTable;
import io.github.lancesink.spi.LanceTable;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/** The real Lance adapter, on a dataset in a temp dir, passes the contract. */
class NativeLanceTableContractTest extends LanceTableContract {
  @TempDir Path dir;

  private String uri() {
    return dir.resolve("table.lance").toString();
  }

  @Override
  protected LanceTable openTable() {
    return new NativeLanceTable(uri(), Map.of());
  }

  @Override
  protected boolean supportsConcurrentWriters() {
    return true;
  }

  @Override
  protected boolean supportsCompaction() {
    return true;
  }

  @Override
  protected void compact(LanceTable table) {
    RealLance.compact(uri());
  }

  @Override
  protected boolean supportsCleanup() {
    return true;
  }

  @Override
  protected void cleanup(LanceTable table, int keepLast) {
    RealLance.cleanup(uri(), keepLast);
  }
}
