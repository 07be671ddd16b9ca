package io.github.lancesink.examples.deltacdf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The demo's corpus against the real model, without Spark: every one-of-a-kind listing is what
 * its paraphrase finds, so an edit to {@link Listings} that breaks a demo search fails here
 * first.
 */
class ParaphraseCatalogTest {

  /**
   * Purpose: each paraphrase has one right answer among everyday listings and the other
   * one-of-a-kind ones. Steps: embed 240 everyday listings (8 of each product type, mixed
   * revisions) and all one-of-a-kind listings with all-MiniLM-L6-v2; rank them for each query
   * by cosine similarity. Pass: each query's own listing ranks within {@link
   * RoundReport#MAX_RANK}, and unrelated everyday listings score lower than it.
   */
  @Test
  void everyParaphraseFindsItsListingWithinTheMaxRank() {
    MiniLmEmbedder model = new MiniLmEmbedder();
    List<String> texts = new ArrayList<>();
    for (long id = 0; id < 8L * Listings.TYPES.size(); id++) {
      texts.add(Listings.everyday(id, (int) (id % 3)));
    }
    Listings.FEATURED.forEach(f -> texts.add(f.listing()));
    List<float[]> vectors = texts.stream().map(model::embed).toList();

    for (int i = 0; i < Listings.FEATURED.size(); i++) {
      Listings.Featured f = Listings.FEATURED.get(i);
      float[] q = model.embed(f.query());
      int own = texts.size() - Listings.FEATURED.size() + i;
      double score = dot(q, vectors.get(own));
      int rank = 1;
      for (int j = 0; j < vectors.size(); j++) {
        if (j != own && dot(q, vectors.get(j)) > score) {
          rank++;
        }
      }
      assertThat(rank).as("rank of \"%s\" for \"%s\"", f.listing(), f.query())
          .isBetween(1, RoundReport.MAX_RANK);
    }
  }

  private static double dot(float[] a, float[] b) {
    double d = 0;
    for (int i = 0; i < a.length; i++) {
      d += a[i] * b[i];
    }
    return d;
  }
}
