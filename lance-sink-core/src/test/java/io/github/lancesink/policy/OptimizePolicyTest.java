package io.github.lancesink.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lancesink.LanceSink;
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
    assertThat(d.everyCommits()).isEqualTo(OptimizePolicy.DEFAULT_EVERY_COMMITS);
    assertThat(d.interval()).isEqualTo(OptimizePolicy.DEFAULT_INTERVAL);
    assertThat(d.maxFragments()).isEqualTo(OptimizePolicy.DEFAULT_MAX_FRAGMENTS);
    assertThat(d.retainVersions()).isEqualTo(OptimizePolicy.DEFAULT_RETAIN_VERSIONS);
    assertThat(d.toBuilder().build()).isEqualTo(d);
    OptimizePolicy changed = d.toBuilder().everyCommits(3).build();
    assertThat(changed.everyCommits()).isEqualTo(3);
    assertThat(changed.toBuilder().build()).isEqualTo(changed).isNotEqualTo(d);
    assertThat(OptimizePolicy.never().enabled()).isFalse();
    assertThat(OptimizePolicy.never()).hasToString("OptimizePolicy.never()");
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
        .isLessThan(io.github.lancesink.LanceSinkConfig.DEFAULT_LOOKBACK);
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
