package io.github.lancesink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lancesink.LanceSinkSettings.Setting;
import io.github.lancesink.policy.OptimizePolicy;
import io.github.lancesink.policy.RetryPolicy;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The settings value: validation messages, value semantics, serialization and redaction. */
class LanceSinkSettingsTest {
  static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

  static LanceSinkSettings full() {
    return LanceSinkSettings.builder()
        .tableUri("s3://bucket/items.lance")
        .storageOptions(Map.of("aws_secret_access_key", SECRET, "aws_region", "eu-west-1"))
        .writerId("items-sync")
        .writeMode(WriteMode.upsert("id"))
        .vectorColumn("vector", 16)
        .retryPolicy(RetryPolicy.noRetries())
        .optimizePolicy(OptimizePolicy.never())
        .lookback(42)
        .sourceLineage("query-1")
        .lineagePolicy(LineagePolicy.START_NEW_LINEAGE)
        .schemaEvolution(SchemaEvolution.ADD_NULLABLE_COLUMNS)
        .build();
  }

  /** Purpose: each setter names the bad value and what is allowed (IllegalArgumentException). */
  @Test
  void settersRejectBadValuesNamingThem() {
    var b = LanceSinkSettings.builder();
    assertThatThrownBy(() -> b.writerId("bad id!")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("writerId").hasMessageContaining("'bad id!'");
    assertThatThrownBy(() -> b.tableUri(" ")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tableUri must be a non-blank");
    assertThatThrownBy(() -> b.vectorColumn("v", 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("vector dimension must be within [1, 65536], was 0");
    assertThatThrownBy(() -> b.vectorColumn("", 4)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("vector column");
    assertThatThrownBy(() -> b.lookback(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lookback must be within [1, 10000000], was 0");
    Map<String, String> withNull = new HashMap<>();
    withNull.put("aws_region", null);
    assertThatThrownBy(() -> b.storageOptions(withNull))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("aws_region");
    assertThatThrownBy(() -> b.storageOptions(null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Map.of()");
    assertThatThrownBy(() -> b.writeMode(null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("writeMode");
  }

  /** Purpose: build() rejects missing or conflicting settings (IllegalStateException). */
  @Test
  void buildRejectsMissingAndConflictingSettings() {
    assertThatThrownBy(() -> LanceSinkSettings.builder().tableUri("/t").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("writerId is required");
    assertThatThrownBy(() -> LanceSinkSettings.builder().writerId("w")
        .writeMode(WriteMode.upsert("vector")).vectorColumn("vector", 8).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'vector' cannot also be a key column");
    assertThatThrownBy(() -> LanceSinkSettings.builder().writerId("w").vectorColumn("v", 10)
        .optimizePolicy(OptimizePolicy.defaults().toBuilder().indexSubVectors(4).build())
        .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("indexSubVectors=4 does not divide the vector dimension 10");
    assertThat(LanceSinkSettings.builder().writerId("w").build().tableUri()).isEmpty();
  }

  /** Purpose: defaults, and which settings were given explicitly (used for Spark precedence). */
  @Test
  void defaultsAndExplicitSettings() {
    LanceSinkSettings s = LanceSinkSettings.builder().writerId("w").lookback(7).build();
    assertThat(s.writeMode()).isEqualTo(WriteMode.append());
    assertThat(s.retryPolicy()).isEqualTo(RetryPolicy.defaults());
    assertThat(s.optimizePolicy()).isEqualTo(OptimizePolicy.defaults());
    assertThat(s.lineagePolicy()).isEqualTo(LineagePolicy.FAIL_ON_CHANGE);
    assertThat(s.schemaEvolution()).isEqualTo(SchemaEvolution.STRICT);
    assertThat(s.vectorColumn()).isEmpty();
    assertThat(s.vectorDimension()).isZero();
    assertThat(s.sourceLineage()).isEmpty();
    assertThat(s.isExplicit(Setting.LOOKBACK)).isTrue();
    assertThat(s.isExplicit(Setting.WRITER_ID)).isTrue();
    assertThat(s.isExplicit(Setting.RETRY_POLICY)).isFalse();
    LanceSinkSettings same = s.toBuilder().lineagePolicy(LineagePolicy.FAIL_ON_CHANGE).build();
    assertThat(same.lineagePolicy()).isEqualTo(s.lineagePolicy());
    assertThat(same.isExplicit(Setting.LINEAGE_POLICY)).isTrue();
    assertThat(same).isNotEqualTo(s);
    assertThat(Arrays.stream(Setting.values()).allMatch(full()::isExplicit)).isTrue();
  }

  /**
   * Purpose: the value survives Java serialization (Spark ships it to executors) with
   * equals/hashCode over every field. Pass: the copy equals the original, toBuilder() copies
   * are equal, and changing any one setting makes the value unequal.
   */
  @Test
  void serializationRoundTripAndValueSemantics() throws Exception {
    LanceSinkSettings s = full();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(s);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      LanceSinkSettings copy = (LanceSinkSettings) in.readObject();
      assertThat(copy).isEqualTo(s).hasSameHashCodeAs(s);
      assertThat(copy.storageOptions()).isEqualTo(s.storageOptions());
      assertThat(copy.toString()).isEqualTo(s.toString());
    }
    assertThat(s.toBuilder().build()).isEqualTo(s).hasSameHashCodeAs(s);
    assertThat(s.toBuilder().tableUri("s3://bucket/other.lance").build()).isNotEqualTo(s);
    assertThat(s.toBuilder().storageOptions(Map.of()).build()).isNotEqualTo(s);
    assertThat(s.toBuilder().writerId("other").build()).isNotEqualTo(s);
    assertThat(s.toBuilder().writeMode(WriteMode.upsert("id2")).build()).isNotEqualTo(s);
    assertThat(s.toBuilder().vectorColumn("vector", 8).build()).isNotEqualTo(s);
    assertThat(s.toBuilder().retryPolicy(RetryPolicy.defaults()).build()).isNotEqualTo(s);
    assertThat(s.toBuilder().optimizePolicy(OptimizePolicy.defaults()).build()).isNotEqualTo(s);
    assertThat(s.toBuilder().lookback(43).build()).isNotEqualTo(s);
    assertThat(s.toBuilder().sourceLineage("q2").build()).isNotEqualTo(s);
    assertThat(s.toBuilder().lineagePolicy(LineagePolicy.FAIL_ON_CHANGE).build())
        .isNotEqualTo(s);
    assertThat(s.toBuilder().schemaEvolution(SchemaEvolution.STRICT).build()).isNotEqualTo(s);
  }

  /** Purpose: no credential reaches toString; what a reader needs does. */
  @Test
  void toStringMasksCredentials() {
    assertThat(full().toString()).doesNotContain(SECRET)
        .contains("writerId=items-sync", "aws_region=eu-west-1", "vector[16]", "lookback=42");
  }

  /**
   * Purpose: the sink builder's setting setters are shortcuts onto the settings builder, never
   * a second copy of a setting. Pass: every public setter of LanceSink.Builder that is not a
   * runtime hook has a twin on LanceSinkSettings.Builder, and a sink built from settings
   * reports exactly those settings.
   */
  @Test
  void sinkBuilderSettersAreShortcutsOntoTheSettingsBuilder() throws Exception {
    var hooks = java.util.Set.of("table", "clock", "sleeper", "retryRegistry", "settings",
        "build");
    for (var m : LanceSink.Builder.class.getDeclaredMethods()) {
      if (!java.lang.reflect.Modifier.isPublic(m.getModifiers()) || hooks.contains(m.getName())) {
        continue;
      }
      assertThat(LanceSinkSettings.Builder.class.getMethod(m.getName(), m.getParameterTypes()))
          .as("LanceSink.Builder.%s has a twin on LanceSinkSettings.Builder", m.getName())
          .isNotNull();
    }
    // core has no adapter on its test classpath: a stub port (with keyed writes, for upsert)
    LanceSinkSettings s = LanceSinkSettings.builder().writerId("items-sync")
        .writeMode(WriteMode.upsert("id")).vectorColumn("vector", 16)
        .retryPolicy(RetryPolicy.noRetries()).optimizePolicy(OptimizePolicy.never()).lookback(42)
        .sourceLineage("query-1").lineagePolicy(LineagePolicy.START_NEW_LINEAGE)
        .schemaEvolution(SchemaEvolution.ADD_NULLABLE_COLUMNS).build();
    try (LanceSink sink = LanceSink.builder().settings(s).table(PortStub.table("keyedWrites"))
        .build()) {
      assertThat(sink.settings()).isEqualTo(s);
    }
  }
}
