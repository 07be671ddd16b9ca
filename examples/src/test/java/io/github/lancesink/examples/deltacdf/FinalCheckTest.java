package io.github.lancesink.examples.deltacdf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The pieces the demo's verdict rests on, without Spark: the final Lance-equals-Delta check
 * must catch every kind of divergence, and the stand-in embedder must be deterministic.
 */
class FinalCheckTest {
  final HashingEmbedder embedder = new HashingEmbedder(DeltaCdfToLance.DIMENSION);
  final DocumentGenerator gen = new DocumentGenerator(embedder);

  /**
   * Purpose: the check that decides the exit code fails on a lost row, a resurrected (or
   * duplicated) row, a stale revision and a single changed vector component. Pass: each
   * divergence is reported naming the key; identical maps give no differences.
   */
  @Test
  void differencesCatchLostExtraStaleAndCorruptRows() {
    Map<Long, Doc> delta = Map.of(1L, gen.doc(1, 0), 2L, gen.doc(2, 3), 3L, gen.doc(3, 0));
    assertThat(Summary.differences(delta, Map.copyOf(delta))).isEmpty();

    float[] corrupt = gen.doc(3, 0).vector().clone();
    corrupt[127] = Math.nextUp(corrupt[127]);
    Map<Long, Doc> lance = Map.of(
        2L, gen.doc(2, 2),
        3L, new Doc(3, 0, gen.text(3, 0), corrupt),
        4L, gen.doc(4, 0));

    assertThat(Summary.differences(delta, lance)).containsExactly(
        "doc 1 is in Delta but missing from Lance",
        "doc 2 differs: Delta " + gen.doc(2, 3) + ", Lance " + gen.doc(2, 2),
        "doc 3 differs: Delta " + gen.doc(3, 0) + ", Lance " + lance.get(3L),
        "doc 4 is in Lance but not in Delta (a delete was lost or a row was duplicated)");
  }

  /**
   * Purpose: the stand-in embedder gives the same unit vector for the same text, and texts
   * sharing words are closer than unrelated ones. Pass: equal arrays, norm 1, ordering holds.
   */
  @Test
  void hashingEmbedderIsDeterministicAndUnitLength() {
    float[] a = embedder.embed("lance vector search freshness");
    assertThat(new HashingEmbedder(128).embed("Lance  vector, search freshness")).isEqualTo(a);
    double norm = 0;
    for (float f : a) {
      norm += f * f;
    }
    assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
    float[] near = embedder.embed("lance vector search latency");
    float[] far = embedder.embed("billing invoice payroll");
    assertThat(dot(a, near)).isGreaterThan(dot(a, far));
    assertThat(embedder.embed("")).containsOnly(0f);
    assertThatThrownBy(() -> new HashingEmbedder(1)).hasMessageContaining("dimension");
  }

  /**
   * Purpose: a round never reuses a key and never touches a key twice. Pass: updates bump the
   * revision, deletes name live keys, inserts are new keys, all distinct.
   */
  @Test
  void roundChangesAreDistinctAndConsistent() {
    Map<Long, Integer> live = Map.of(0L, 0, 1L, 2, 2L, 0, 3L, 1, 4L, 0);
    var changes = gen.round(7, live, 3, 2, 2);
    assertThat(changes).extracting(c -> c.doc().id()).doesNotHaveDuplicates().hasSize(7);
    changes.forEach(c -> {
      switch (c.op()) {
        case UPDATE -> assertThat(c.doc().rev()).isEqualTo(live.get(c.doc().id()) + 1);
        case DELETE -> assertThat(c.doc()).isEqualTo(gen.doc(c.doc().id(),
            live.get(c.doc().id())));
        case INSERT -> assertThat(c.doc().id()).isGreaterThanOrEqualTo(7_000_000L);
        default -> throw new AssertionError(c);
      }
    });
    assertThat(gen.round(7, live, 3, 2, 2)).isEqualTo(changes);
  }

  private static double dot(float[] a, float[] b) {
    double d = 0;
    for (int i = 0; i < a.length; i++) {
      d += a[i] * b[i];
    }
    return d;
  }
}
