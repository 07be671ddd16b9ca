package io.github.lancesink.testkit;

import io.github.lancesink.spi.LanceTable;

/** The in-memory fake passes the keyed contract (200 model seeds). */
class InMemoryKeyedContractTest extends KeyedTableContract {
  @Override
  protected LanceTable newTable() {
    return InMemoryLanceTable.create();
  }
}
