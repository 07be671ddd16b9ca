package io.github.lancesink.testkit.s3;

import io.github.lancesink.lance.NativeLanceTable;
import io.github.lancesink.spi.LanceTable;
import io.github.lancesink.testkit.KeyedTableContract;
import java.util.UUID;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The real Lance adapter on {@code s3://} passes the keyed (upsert / CDC) contract. */
class S3NativeKeyedContractTest extends KeyedTableContract {
  @RegisterExtension static final S3ProxyExtension S3 = S3ProxyExtension.builder().build();

  @Override
  protected LanceTable newTable() {
    return new NativeLanceTable(S3.uri("keyed-" + UUID.randomUUID() + ".lance"),
        S3.storageOptions());
  }

  @Override
  protected int modelSeeds() {
    return 6;
  }
}
