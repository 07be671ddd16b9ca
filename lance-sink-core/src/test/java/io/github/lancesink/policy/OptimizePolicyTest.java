package io.github.lancesink.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lancesink.LanceSink;
import io.github.lancesink.index.DistanceMetric;
import io.github.lancesink.index.VectorIndexType;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OptimizePolicyTest {

  @Test
  void defaultsAreTheDocumentedConstantsAndToBuilderRoundTrips() {
    OptimizePolicy d = OptimizePolicy.defaults();
    assertThat(d.enabled()).isTrue();
    assertThat(d.mode()).isEqualTo(OptimizePolicy.DEFAULT_MODE);
    assertThat(d.triggers().everyCommits()).isEqualTo(OptimizePolicy.DEFAULT_EVERY_COMMITS);
    assertThat(d.triggers().interval()).isEqualTo(OptimizePolicy.DEFAULT_INTERVAL);
    assertThat(d.triggers().maxFragments()).isEqualTo(OptimizePolicy.DEFAULT_MAX_FRAGMENTS);
    assertThat(d.retention().retainVersions()).isEqualTo(OptimizePolicy.DEFAULT_RETAIN_VERSIONS);
    assertThat(d.toBuilder().build()).isEqualTo(d);
    OptimizePolicy changed = d.toBuilder().everyCommits(3).build();
    assertThat(changed.triggers().everyCommits()).isEqualTo(3);
    assertThat(changed.toBuilder().build()).isEqualTo(changed).isNotEqualTo(d);
    assertThat(OptimizePolicy.never().enabled()).isFalse();
    assertThat(OptimizePolicy.never()).hasToString("OptimizePolicy.never()");
  }

  /**
   * The policy is four small values plus mode, budget and backoff; equality and hashing come from
   * those fields (not from toString), and a policy survives Java serialization (Spark ships it to
   * executors inside the sink's settings). Pass: each flat setter lands in its nested value;
   * policies that differ in one field differ; the round trip is equal.
   */
  @Test
  void flatSettersFillTheNestedValuesAndEqualityComesFromTheFields() throws Exception {
    OptimizePolicy p = OptimizePolicy.builder().everyCommits(3).maxUnindexedRows(5_000)
        .compactionFanIn(4).targetRowsPerFragment(50_000).indexMinRows(1_000)
        .indexType(VectorIndexType.IVF_PQ).indexSubVectors(8).maxIndexDeltas(2)
        .scalarIndexColumns(Set.of("b", "a")).retainVersions(7).maxVersionsPerCommit(9).build();
    assertThat(p.triggers()).isEqualTo(new OptimizePolicy.Triggers(3,
        OptimizePolicy.DEFAULT_INTERVAL, OptimizePolicy.DEFAULT_MAX_FRAGMENTS, 5_000,
        OptimizePolicy.DEFAULT_MAX_DELETED_RATIO));
    assertThat(p.compaction()).isEqualTo(new OptimizePolicy.Compaction(50_000, 4));
    assertThat(p.indexing().type()).isEqualTo(VectorIndexType.IVF_PQ);
    assertThat(p.indexing().subVectors()).isEqualTo(8);
    assertThat(p.indexing().maxDeltas()).isEqualTo(2);
    assertThat(p.indexing().scalarColumns()).containsExactly("a", "b");
    assertThat(p.retention()).isEqualTo(new OptimizePolicy.Retention(7, 9));
    assertThat(p).hasToString(p.toBuilder().build().toString()).isEqualTo(p.toBuilder().build())
        .hasSameHashCodeAs(p.toBuilder().build());
    assertThat(p.toBuilder().metric(DistanceMetric.COSINE).build()).isNotEqualTo(p);
    assertThat(p.toBuilder().retryBackoff(Duration.ofSeconds(1)).build()).isNotEqualTo(p);
    assertThat(p.toBuilder().scalarIndexColumns(Set.of("a")).build()).isNotEqualTo(p);
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
      out.writeObject(p);
      out.writeObject(OptimizePolicy.never());
    }
    try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
        new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
      assertThat(in.readObject()).isEqualTo(p);
      assertThat(in.readObject()).isEqualTo(OptimizePolicy.never());
    }
  }

  @Test
  void settersNameTheValueAndTheAllowedRange() {
    OptimizePolicy.Builder b = OptimizePolicy.builder();
    assertThatThrownBy(() -> b.everyCommits(-1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("everyCommits must be within [0, 1000000], was -1");
    assertThatThrownBy(() -> b.maxDeletedRatio(1.0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxDeletedRatio must be within [0, 1), was 1.0");
    assertThatThrownBy(() -> b.indexMinRows(10)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("indexMinRows must be within [256, 1000000000000], was 10");
    assertThatThrownBy(() -> b.budget(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("budget must be within [PT0.001S, PT24H], was PT0S");
    assertThatThrownBy(() -> b.interval(Duration.ofDays(2)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was PT48H");
    assertThatThrownBy(() -> b.retainVersions(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("retainVersions must be within [1, 100000000], was 0");
    assertThatThrownBy(() -> b.scalarIndexColumns(Set.of(" ")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scalarIndexColumns");
  }

  @Test
  void buildRejectsConflictingSettings() {
    assertThatThrownBy(() -> OptimizePolicy.builder().everyCommits(0).interval(Duration.ZERO)
        .maxFragments(0).maxUnindexedRows(0).maxDeletedRatio(0).indexMinRows(0).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("OptimizePolicy.never()");
    assertThatThrownBy(() -> OptimizePolicy.builder().indexType(VectorIndexType.IVF_HNSW_SQ)
        .indexSubVectors(16).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("indexSubVectors=16");
    assertThatThrownBy(() -> OptimizePolicy.builder().indexPartitions(4096).indexMinRows(1000)
        .build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("indexMinRows is 1000");
  }

  /**
   * The ledger checkpoint makes a retention shorter than the lookback safe (cleanup checkpoints
   * first), so the sink builder accepts it; the default keeps 100 versions.
   */
  @Test
  void retentionShorterThanTheLedgerLookbackIsAccepted() {
    assertThat(OptimizePolicy.DEFAULT_RETAIN_VERSIONS).isEqualTo(100)
        .isLessThan(io.github.lancesink.LanceSinkSettings.DEFAULT_LOOKBACK);
    OptimizePolicy short10 = OptimizePolicy.builder().retainVersions(10).build();
    LanceSink.builder().table(io.github.lancesink.PortStub.table("maintenance")).writerId("w")
        .optimizePolicy(short10).build().close();
  }

  @Test
  void subVectorsThatDoNotDivideTheDimensionAreRefusedBeforeAnythingIsWritten() {
    assertThatThrownBy(() -> LanceSink.builder().tableUri("/tmp/never-created.lance")
        .writerId("w").vectorColumn("vector", 100)
        .optimizePolicy(OptimizePolicy.builder().indexSubVectors(16).build()).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("indexSubVectors=16 does not divide the vector dimension 100");
  }
}
