package io.github.lancesink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lancesink.policy.Backoff;
import io.github.lancesink.policy.RetryPolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PoliciesTest {

  @Test
  void retryPolicyDefaultsAndRoundTrip() {
    RetryPolicy d = RetryPolicy.defaults();
    assertThat(d.maxAttempts()).isEqualTo(RetryPolicy.DEFAULT_MAX_ATTEMPTS);
    assertThat(d.maxStateUnknownReconciles())
        .isEqualTo(RetryPolicy.DEFAULT_MAX_STATE_UNKNOWN_RECONCILES);
    RetryPolicy p = d.toBuilder().maxAttempts(3).build();
    assertThat(p.maxAttempts()).isEqualTo(3);
    assertThat(p.toBuilder().build()).isEqualTo(p);
    assertThat(RetryPolicy.noRetries().maxAttempts()).isEqualTo(1);
  }

  @Test
  void retryPolicyRejectsBadValuesNamingThem() {
    assertThatThrownBy(() -> RetryPolicy.builder().maxAttempts(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxAttempts")
        .hasMessageContaining("[1, 100]")
        .hasMessageContaining("0");
    assertThatThrownBy(() -> RetryPolicy.builder().maxStateUnknownReconciles(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxStateUnknownReconciles");
    assertThatThrownBy(() -> RetryPolicy.builder().backoff(null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void exponentialRandomBackoffGrowsStaysWithinJitterAndCap() {
    Backoff b = Backoff.exponentialRandom(Duration.ofMillis(100), 2.0, 0.5, Duration.ofSeconds(1));
    for (int i = 0; i < 200; i++) {
      assertThat(b.delay(1).toMillis()).isBetween(50L, 150L);
      assertThat(b.delay(3).toMillis()).isBetween(200L, 600L);
      assertThat(b.delay(30)).isLessThanOrEqualTo(Duration.ofSeconds(1));
      assertThat(b.delay(30).toMillis()).isGreaterThanOrEqualTo(500L);
    }
    assertThat(Backoff.fixed(Duration.ofMillis(7)).delay(9)).isEqualTo(Duration.ofMillis(7));
    assertThat(Backoff.none().delay(1)).isZero();
  }

  @Test
  void backoffRejectsBadArguments() {
    assertThatThrownBy(() -> Backoff.exponentialRandom(Duration.ofMillis(1), 0.5, 0.1,
        Duration.ofSeconds(1))).hasMessageContaining("multiplier");
    assertThatThrownBy(() -> Backoff.exponentialRandom(Duration.ofMillis(1), 2, 1.5,
        Duration.ofSeconds(1))).hasMessageContaining("jitter");
    assertThatThrownBy(() -> Backoff.exponentialRandom(Duration.ofSeconds(2), 2, 0.1,
        Duration.ofSeconds(1))).hasMessageContaining("max");
    assertThatThrownBy(() -> Backoff.fixed(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void writeModesValidateKeys() {
    assertThat(WriteMode.upsert("id").keys()).containsExactly("id");
    assertThat(WriteMode.upsert("id").withSequenceColumn("ts").sequenceColumn()).hasValue("ts");
    assertThatThrownBy(() -> WriteMode.upsert()).hasMessageContaining("at least one key");
    assertThatThrownBy(() -> WriteMode.cdc("id", "id")).hasMessageContaining("distinct");
    assertThatThrownBy(() -> WriteMode.append().withSequenceColumn("ts"))
        .hasMessageContaining("upsert");
    assertThat(WriteMode.cdc("id")).isEqualTo(WriteMode.cdc("id"));
  }
}
