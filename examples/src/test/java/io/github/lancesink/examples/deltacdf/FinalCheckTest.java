package io.github.lancesink.examples.deltacdf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lancesink.examples.deltacdf.DocumentGenerator.Change;
import io.github.lancesink.examples.deltacdf.DocumentGenerator.Listing;
import io.github.lancesink.examples.deltacdf.DocumentGenerator.Op;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The pieces the demo's verdict rests on, without Spark: the final Lance-equals-Delta check
 * must catch every kind of divergence, the generator's rounds must give every search exactly one
 * right answer, and the stand-in embedder must be deterministic.
 */
class FinalCheckTest {
  final HashingEmbedder embedder = new HashingEmbedder(DeltaCdfToLance.DIMENSION);
  final DocumentGenerator gen = new DocumentGenerator();

  Doc doc(long id, int rev) {
    String text = Listings.everyday(id, rev);
    return new Doc(id, rev, text, embedder.embed(text), embedder.modelId());
  }

  /**
   * Purpose: the check that decides the exit code fails on a lost row, a resurrected (or
   * duplicated) row, a stale revision, a single changed vector component and a vector from
   * another model. Pass: each divergence is reported naming the key; identical maps give no
   * differences.
   */
  @Test
  void differencesCatchLostExtraStaleCorruptAndOtherModelRows() {
    Map<Long, Doc> delta = Map.of(1L, doc(1, 0), 2L, doc(2, 3), 3L, doc(3, 0), 5L, doc(5, 0));
    assertThat(Summary.differences(delta, Map.copyOf(delta))).isEmpty();

    float[] corrupt = doc(3, 0).vector().clone();
    corrupt[383] = Math.nextUp(corrupt[383]);
    Doc d5 = doc(5, 0);
    Map<Long, Doc> lance = Map.of(
        2L, doc(2, 2),
        3L, new Doc(3, 0, Listings.everyday(3, 0), corrupt, embedder.modelId()),
        4L, doc(4, 0),
        5L, new Doc(5, 0, d5.text(), d5.vector(), "all-minilm-l6-v2-q@0.36.2"));

    assertThat(Summary.differences(delta, lance)).containsExactly(
        "listing 1 is in Delta but missing from Lance",
        "listing 2 differs: Delta " + doc(2, 3) + ", Lance " + doc(2, 2),
        "listing 3 differs: Delta " + doc(3, 0) + ", Lance " + lance.get(3L),
        "listing 4 is in Lance but not in Delta (a delete was lost or a row was duplicated)",
        "listing 5 differs: Delta " + d5 + ", Lance " + lance.get(5L));
  }

  /**
   * Purpose: the stand-in embedder gives the same unit vector for the same text, and texts
   * sharing words are closer than unrelated ones. Pass: equal arrays, norm 1, ordering holds.
   */
  @Test
  void hashingEmbedderIsDeterministicAndUnitLength() {
    float[] a = embedder.embed("lance vector search freshness");
    assertThat(new HashingEmbedder(384).embed("Lance  vector, search freshness")).isEqualTo(a);
    double norm = 0;
    for (float f : a) {
      norm += f * f;
    }
    assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
    float[] near = embedder.embed("lance vector search latency");
    float[] far = embedder.embed("billing invoice payroll");
    assertThat(dot(a, near)).isGreaterThan(dot(a, far));
    assertThat(embedder.embed("")).containsOnly(0f);
    assertThat(embedder.modelId()).isEqualTo("hashing-trick-384@1");
    assertThatThrownBy(() -> new HashingEmbedder(1)).hasMessageContaining("dimension");
  }

  /**
   * Purpose: a round never reuses a key and never touches a key twice, and every round gives
   * its searches one right answer: it deletes the live one-of-a-kind listings and writes two
   * new ones (one update, one insert) that no other live listing shares. Pass: over 30 rounds
   * (more than there are one-of-a-kind listings), the changes are distinct, updates bump the
   * revision, deletes name live listings, inserts are new keys, and after every round at most
   * one live listing holds each one-of-a-kind text, exactly two in all.
   */
  @Test
  void roundsAreConsistentAndOneOfAKindListingsStayUnique() {
    Map<Long, Listing> live = new TreeMap<>();
    gen.seed(60).forEach(c -> live.put(c.listing().id(), c.listing()));
    assertThat(live.get(0L).text()).isEqualTo(Listings.FEATURED.get(0).listing());
    for (int r = 1; r <= 30; r++) {
      List<Change> changes = gen.round(r, Map.copyOf(live), 3, 4, 3);
      assertThat(gen.round(r, Map.copyOf(live), 3, 4, 3)).isEqualTo(changes);
      assertThat(changes).extracting(c -> c.listing().id()).doesNotHaveDuplicates().hasSize(10);
      assertThat(changes.stream().filter(c -> c.op() == Op.DELETE && c.featured().isPresent()))
          .as("round %d deletes the live one-of-a-kind listings", r)
          .hasSize(r == 1 ? 1 : 2);
      assertThat(changes.stream().filter(c -> c.op() != Op.DELETE && c.featured().isPresent()))
          .extracting(Change::op).containsExactly(Op.UPDATE, Op.INSERT);
      for (Change c : changes) {
        long id = c.listing().id();
        switch (c.op()) {
          case UPDATE -> assertThat(c.listing().rev()).isEqualTo(live.get(id).rev() + 1);
          case DELETE -> assertThat(c.listing()).isEqualTo(live.get(id));
          case INSERT -> assertThat(id).isGreaterThanOrEqualTo(r * 1_000_000L)
              .doesNotMatch(live::containsKey);
          default -> throw new AssertionError(c);
        }
      }
      for (Change c : changes) {
        if (c.op() == Op.DELETE) {
          live.remove(c.listing().id());
        } else {
          live.put(c.listing().id(), c.listing());
        }
      }
      Map<String, Integer> featuredTexts = new HashMap<>();
      live.values().stream().filter(l -> Listings.featuredIndex(l.text()) >= 0)
          .forEach(l -> featuredTexts.merge(l.text(), 1, Integer::sum));
      assertThat(featuredTexts.values()).as("round %d", r).containsOnly(1).hasSize(2);
    }
  }

  /**
   * Purpose: the demo's queries really are paraphrases. Pass: no query shares a word of four
   * letters or more with its listing, apart from a few function words.
   */
  @Test
  void queriesShareNoContentWordWithTheirListing() {
    Set<String> function = Set.of("with", "that", "from", "into", "your", "their");
    for (Listings.Featured f : Listings.FEATURED) {
      Set<String> listing = Set.of(words(f.listing()));
      for (String w : words(f.query())) {
        assertThat(w.length() < 4 || function.contains(w) || !listing.contains(w))
            .as("'%s' is in both \"%s\" and \"%s\"", w, f.query(), f.listing()).isTrue();
      }
    }
  }

  private static String[] words(String s) {
    return java.util.Arrays.stream(s.toLowerCase(Locale.ROOT).split("[^a-z0-9-]+"))
        .distinct().toArray(String[]::new);
  }

  private static double dot(float[] a, float[] b) {
    double d = 0;
    for (int i = 0; i < a.length; i++) {
      d += a[i] * b[i];
    }
    return d;
  }
}
