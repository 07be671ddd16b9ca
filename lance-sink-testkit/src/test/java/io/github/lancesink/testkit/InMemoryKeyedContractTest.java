package io.github.lancesink.testkit;

import io.github.lancesink.spi.LanceTable;

/** The in-memory fake passes the keyed contract (200 model seeds). */
class InMemoryKeyedContractTest extends KeyedTableContract {
  private InMemoryLanceTable table;

  @Override
  protected LanceTable openTable() {
    if (table == null) {
      table = InMemoryLanceTable.create();
    }
    return table; // every handle is the same instance: the "storage"
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
}
