package io.github.lancesink.testkit.s3;

import io.github.lancesink.lance.NativeLanceTable;
import io.github.lancesink.spi.LanceTable;
import io.github.lancesink.testkit.KeyedTableContract;
import java.util.UUID;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The real Lance adapter on {@code s3://} passes the keyed (upsert / CDC) contract. */
class S3NativeKeyedContractTest extends KeyedTableContract {
  @RegisterExtension static final S3ProxyExtension S3 = S3ProxyExtension.builder().build();

  private final String uri = S3.uri("keyed-" + UUID.randomUUID() + ".lance");

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
    return false; // the keyed contract does not compact
  }

  @Override
  protected boolean supportsCleanup() {
    return false; // the keyed contract does not clean up
  }

  @Override
  protected int modelSeeds() {
    return 6;
  }
}
