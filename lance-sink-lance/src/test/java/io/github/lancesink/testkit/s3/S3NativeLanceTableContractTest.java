package io.github.lancesink.testkit.s3;

import io.github.lancesink.lance.NativeLanceTable;
import io.github.lancesink.spi.LanceTable;
import io.github.lancesink.testkit.LanceTableContract;
import java.util.UUID;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lance.Dataset;
import org.lance.ReadOptions;
import org.lance.cleanup.CleanupPolicy;

/**
 * The real Lance adapter on {@code s3://} (the loopback S3 server) passes the same contract as
 * on local files and as the in-memory fake. Compaction and cleanup run straight on the Lance
 * dataset, as other tools would.
 */
class S3NativeLanceTableContractTest extends LanceTableContract {
  @RegisterExtension static final S3ProxyExtension S3 = S3ProxyExtension.builder().build();

  private final String uri = S3.uri("contract-" + UUID.randomUUID() + ".lance");

  @Override
  protected LanceTable openTable() {
    return new NativeLanceTable(uri, S3.storageOptions());
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
    try (RootAllocator a = new RootAllocator(); Dataset ds = open(a)) {
      ds.compact();
    }
  }

  @Override
  protected boolean supportsCleanup() {
    return true;
  }

  @Override
  protected void cleanup(LanceTable table, int keepLast) {
    try (RootAllocator a = new RootAllocator(); Dataset ds = open(a)) {
      long before = ds.version() - keepLast + 1;
      ds.cleanupWithPolicy(CleanupPolicy.builder().withBeforeVersion(before).build());
    }
  }

  private Dataset open(RootAllocator a) {
    return Dataset.open().uri(uri).allocator(a)
        .readOptions(new ReadOptions.Builder().setStorageOptions(S3.storageOptions()).build())
        .build();
  }
}
