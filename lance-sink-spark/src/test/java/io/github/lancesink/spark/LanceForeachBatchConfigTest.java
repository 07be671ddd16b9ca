package io.github.lancesink.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lancesink.LanceSinkSettings;
import io.github.lancesink.LineagePolicy;
import io.github.lancesink.policy.RetryPolicy;
import io.github.lancesink.spark.internal.SparkSinkSettings;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Option precedence, serializability and secret hygiene; no Spark job runs. */
class LanceForeachBatchConfigTest {
  static final String SECRET = "s3cr3t-VALUE";

  @AfterEach
  void unset() {
    SparkSession s = TestSpark.session();
    s.conf().unset(LanceSinkOptions.RETRY_MAX_ATTEMPTS);
    s.conf().unset(LanceSinkOptions.LEDGER_LOOKBACK);
    s.conf().unset(LanceSinkOptions.LINEAGE_POLICY);
    s.conf().unset(LanceSinkOptions.STORAGE_PREFIX + "aws_region");
  }

  private static SparkSinkSettings settings(LanceForeachBatch fn) throws Exception {
    var f = LanceForeachBatch.class.getDeclaredField("settings");
    f.setAccessible(true);
    return (SparkSinkSettings) f.get(fn);
  }

  private static LanceSinkSettings resolve(LanceForeachBatch fn) throws Exception {
    return settings(fn).resolve(TestSpark.session()).settings();
  }

  /** Purpose: defaults apply when neither builder nor conf set a value. */
  @Test
  void defaultsWhenNothingIsSet() throws Exception {
    LanceSinkSettings c = resolve(LanceForeachBatch.builder()
        .settings(LanceSinkSettings.builder()
            .tableUri("/tmp/none.lance")
            .writerId("w")
            .build())
        .build());
    assertThat(c.retryPolicy()).isEqualTo(RetryPolicy.defaults());
    assertThat(c.lookback()).isEqualTo(LanceSinkSettings.DEFAULT_LOOKBACK);
    assertThat(c.lineagePolicy()).isEqualTo(LineagePolicy.FAIL_ON_CHANGE);
  }

  /**
   * Purpose: session conf beats defaults; writer options and settings given explicitly beat the
   * conf, even when the explicit value equals the default (lineage policy below).
   */
  @Test
  void writerOptionBeatsSessionConfBeatsDefault() throws Exception {
    SparkSession s = TestSpark.session();
    s.conf().set(LanceSinkOptions.RETRY_MAX_ATTEMPTS, "3");
    s.conf().set(LanceSinkOptions.LEDGER_LOOKBACK, "500");
    s.conf().set(LanceSinkOptions.LINEAGE_POLICY, "start-new");
    s.conf().set(LanceSinkOptions.STORAGE_PREFIX + "aws_region", "eu-west-1");

    LanceSinkSettings fromConf = resolve(LanceForeachBatch.builder()
        .settings(LanceSinkSettings.builder()
            .tableUri("/tmp/none.lance")
            .writerId("w")
            .build())
        .build());
    assertThat(fromConf.retryPolicy().maxAttempts()).isEqualTo(3);
    assertThat(fromConf.lookback()).isEqualTo(500);
    assertThat(fromConf.lineagePolicy()).isEqualTo(LineagePolicy.START_NEW_LINEAGE);
    assertThat(fromConf.storageOptions()).containsEntry("aws_region", "eu-west-1");

    LanceSinkSettings overridden = resolve(LanceForeachBatch.builder()
        .settings(LanceSinkSettings.builder()
            .tableUri("/tmp/none.lance")
            .writerId("w")
            .lookback(700)
            .lineagePolicy(LineagePolicy.FAIL_ON_CHANGE)
            .storageOptions(Map.of("aws_region", "us-east-1"))
            .build())
        .option(LanceSinkOptions.RETRY_MAX_ATTEMPTS, "9").build());
    assertThat(overridden.retryPolicy().maxAttempts()).isEqualTo(9);
    assertThat(overridden.lookback()).isEqualTo(700);
    assertThat(overridden.lineagePolicy()).isEqualTo(LineagePolicy.FAIL_ON_CHANGE);
    assertThat(overridden.storageOptions()).containsEntry("aws_region", "us-east-1");
  }

  /** Purpose: a bad conf value fails naming the key and the value. */
  @Test
  void badOptionValuesNameTheKey() {
    TestSpark.session().conf().set(LanceSinkOptions.LINEAGE_POLICY, "sometimes");
    assertThatThrownBy(() -> resolve(LanceForeachBatch.builder()
        .settings(LanceSinkSettings.builder()
            .tableUri("/tmp/none.lance")
            .writerId("w")
            .build())
        .build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(LanceSinkOptions.LINEAGE_POLICY).hasMessageContaining("sometimes");
    assertThatThrownBy(() -> LanceForeachBatch.builder().option("retry.max-attempts", "3"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lance.sink.");
    assertThatThrownBy(() -> LanceForeachBatch.builder()
        .settings(LanceSinkSettings.builder()
            .writerId("bad id")
            .build()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("writerId");
    assertThatThrownBy(() -> LanceForeachBatch.builder()
        .settings(LanceSinkSettings.builder()
            .tableUri("/t")
            .build())
        .build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("writerId");
    assertThatThrownBy(() -> LanceForeachBatch.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("settings are required: LanceForeachBatch.builder().settings(");
    assertThatThrownBy(() -> LanceForeachBatch.builder()
        .settings(LanceSinkSettings.builder().writerId("w").build()).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("a table is required: LanceSinkSettings.tableUri(..) or table(");
  }

  /**
   * Purpose: the function survives Java serialization (Spark requires it) and never prints a
   * credential. Pass: a round trip keeps its settings; toString masks the secret.
   */
  @Test
  void serializableAndNoSecretsInToString() throws Exception {
    LanceForeachBatch fn = LanceForeachBatch.builder()
        .settings(LanceSinkSettings.builder()
            .tableUri("s3://bucket/items.lance")
            .writerId("items-sync")
            .storageOptions(Map.of("aws_secret_access_key", SECRET))
            .vectorColumn("vector", 4)
            .build())
        .listener(r -> { }).build();
    assertThat(fn.toString()).doesNotContain(SECRET).contains("items-sync");

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(fn);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      LanceForeachBatch copy = (LanceForeachBatch) in.readObject();
      assertThat(settings(copy)).isEqualTo(settings(fn));
      assertThat(copy.sink()).isEmpty();
    }
  }
}
