package io.github.lancesink.testkit;

import io.github.lancesink.spi.LanceTable;

/** The in-memory fake passes the same contract as real Lance. */
class InMemoryLanceTableContractTest extends LanceTableContract {
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
    return true;
  }

  @Override
  protected void compact(LanceTable ignored) {
    table.compact();
  }

  @Override
  protected boolean supportsCleanup() {
    return true;
  }

  @Override
  protected void cleanup(LanceTable ignored, int keepLast) {
    table.cleanup(keepLast);
  }
}
