package io.github.lancesink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lancesink.internal.Redactor;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedactionTest {
  static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  static final String KEY_ID = "AKIAIOSFODNN7EXAMPLE";
  static final Map<String, String> OPTIONS = Map.of(
      "aws_access_key_id", KEY_ID,
      "aws_secret_access_key", SECRET,
      "aws_session_token", "FwoGZXIvYXdzEXAMPLETOKEN",
      "aws_region", "us-east-1");

  @TempDir Path dir;

  @Test
  void uriLosesUserInfoAndQuery() {
    assertThat(Redactor.uri("s3://" + KEY_ID + ":" + SECRET + "@bucket/path?sig=abc"))
        .isEqualTo("s3://bucket/path");
    assertThat(Redactor.uri("az://container/p?sv=2020&sig=" + SECRET))
        .isEqualTo("az://container/p");
    assertThat(Redactor.uri("/tmp/x.lance")).isEqualTo("/tmp/x.lance");
  }

  @Test
  void optionsKeepOnlyPublicValues() {
    Map<String, String> shown = Redactor.options(OPTIONS);
    assertThat(shown).containsEntry("aws_region", "us-east-1")
        .containsEntry("aws_secret_access_key", Redactor.MASK)
        .containsEntry("aws_access_key_id", Redactor.MASK);
    assertThat(shown.toString()).doesNotContain(SECRET, KEY_ID)
        .contains("aws_region=us-east-1", "aws_secret_access_key=" + Redactor.MASK);
  }

  @Test
  void scrubbedThrowableChainCarriesNoSecret() {
    RuntimeException inner = new RuntimeException("signature mismatch for key " + KEY_ID);
    RuntimeException outer = new RuntimeException("request failed: secret=" + SECRET, inner);
    Throwable safe = Redactor.scrub(outer, OPTIONS);
    for (Throwable t = safe; t != null; t = t.getCause()) {
      assertThat(t.getMessage()).doesNotContain(SECRET, KEY_ID);
    }
    assertThat(safe.getMessage()).contains("request failed: secret=" + Redactor.MASK);
    assertThat(safe.getCause().getMessage())
        .contains("signature mismatch for key " + Redactor.MASK);
    assertThat(safe.getMessage()).contains("java.lang.RuntimeException", Redactor.MASK);
    assertThat(safe.getStackTrace()).isEqualTo(outer.getStackTrace());
  }

  @Test
  void sinkAndConfigToStringHideCredentials() {
    try (LanceSink sink = LanceSink.builder()
        .tableUri(dir.resolve("t.lance").toString())
        .storageOptions(OPTIONS)
        .writerId("w")
        .build()) {
      String uri = dir.resolve("t.lance").toString();
      // what a reader needs is there, with every credential masked, not dropped silently
      String[] shown = {"aws_region=us-east-1", "aws_access_key_id=" + Redactor.MASK,
          "aws_secret_access_key=" + Redactor.MASK, "aws_session_token=" + Redactor.MASK};
      assertThat(sink.toString()).doesNotContain(SECRET, KEY_ID, "FwoGZXIvYXdzEXAMPLETOKEN")
          .startsWith("LanceSink{LanceSinkSettings{tableUri=" + uri).contains(shown)
          .contains("writerId=w");
      assertThat(sink.settings().toString()).doesNotContain(SECRET, KEY_ID)
          .contains("tableUri=" + uri, "writerId=w").contains(shown);
      assertThat(sink.table().toString()).doesNotContain(SECRET, KEY_ID)
          .contains("uri=" + uri).contains(shown);
    }
  }

  @Test
  void builderRejectsBadSettingsClearly() {
    assertThatThrownBy(() -> LanceSink.builder().writerId("bad id!"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad id!");
    assertThatThrownBy(() -> LanceSink.builder().tableUri("/x").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("writerId");
    assertThatThrownBy(() -> LanceSink.builder().writerId("w").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("tableUri");
    assertThatThrownBy(() -> LanceSink.builder().vectorColumn("v", 0))
        .hasMessageContaining("dimension");
    assertThatThrownBy(() -> LanceSink.builder().lookback(0)).hasMessageContaining("lookback");
  }
}
