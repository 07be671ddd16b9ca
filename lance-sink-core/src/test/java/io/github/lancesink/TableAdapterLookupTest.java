package io.github.lancesink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lancesink.policy.OptimizePolicy;
import io.github.lancesink.spi.LanceTableProvider;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/**
 * Core alone has no Lance adapter: {@code tableUri(..)} must then fail at {@code build()}, naming
 * the artifact to add, while an explicit port still works.
 */
class TableAdapterLookupTest {

  /**
   * Purpose: a missing adapter is a clear error at build(), not a ClassNotFoundException later.
   * Steps: core's test classpath has no provider; build a sink with a table URI. Pass: an
   * IllegalStateException naming the artifact io.github.lancesink:lance-sink-lance and the
   * alternative (table(..)), with the URI's credentials redacted.
   */
  @Test
  void tableUriWithoutAnAdapterFailsAtBuildNamingTheArtifact() {
    assertThat(ServiceLoader.load(LanceTableProvider.class)).isEmpty();
    assertThatThrownBy(() -> LanceSink.builder()
        .tableUri("s3://AKIA:secret@bucket/items.lance").writerId("w").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("io.github.lancesink:lance-sink-lance")
        .hasMessageContaining("LanceSink.Builder.table(")
        .hasMessageNotContaining("secret");
  }

  /** Purpose: a port passed explicitly needs no adapter. Pass: build() returns a sink. */
  @Test
  void anExplicitPortNeedsNoAdapter() {
    try (LanceSink sink = LanceSink.builder().table(PortStub.table("maintenance"))
        .writerId("w").optimizePolicy(OptimizePolicy.defaults()).build()) {
      assertThat(sink.table().displayUri()).isEqualTo("stub://table");
    }
  }
}
