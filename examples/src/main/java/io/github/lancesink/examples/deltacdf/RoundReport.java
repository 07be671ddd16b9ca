package io.github.lancesink.examples.deltacdf;

import io.github.lancesink.examples.deltacdf.DocumentGenerator.Change;
import io.github.lancesink.examples.deltacdf.DocumentGenerator.Op;
import io.github.lancesink.examples.deltacdf.LanceDocs.Hit;
import io.github.lancesink.examples.deltacdf.Listings.Featured;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What one round did and whether vector search saw it. After the stream caught up, a query that
 * describes the round's one-of-a-kind update in other words must find it within the top {@value
 * #MAX_RANK}, at its new revision; the same for its one-of-a-kind insert; and the query for a
 * deleted one-of-a-kind listing must no longer return it at all.
 *
 * @param updateRank the updated listing's rank (0: not in the top k), if the round had one
 * @param insertRank the inserted listing's rank (0: not in the top k), if the round had one
 * @param deleteGone whether the deleted listing is gone from the top k, if the round had one
 */
record RoundReport(
    int round,
    long deltaVersion,
    long inserts,
    long updates,
    long deletes,
    long lanceVersion,
    long batches,
    Optional<Duration> lag,
    Optional<Integer> insertRank,
    Optional<Integer> updateRank,
    Optional<Boolean> deleteGone) {

  static final String OK = "[ok]";
  static final String FAIL = "[FAIL]";

  /** A changed listing must be found at this rank or better. */
  static final int MAX_RANK = 3;

  static boolean found(Optional<Integer> rank) {
    return rank.map(r -> r >= 1 && r <= MAX_RANK).orElse(true);
  }

  boolean passed() {
    return found(insertRank) && found(updateRank) && deleteGone.orElse(true);
  }

  /** How the round's searches are phrased. */
  enum Queries {
    /** A paraphrase of the listing: needs a model that understands meaning. */
    PARAPHRASE,
    /** The listing's own text: all the hashing stand-in can match. */
    OWN_TEXT;

    String of(Featured f) {
      return this == PARAPHRASE ? f.query() : f.listing();
    }
  }

  /** Runs the round's searches against Lance, prints them, and returns the round's report. */
  static RoundReport search(int round, long deltaVersion, List<Change> changes,
      LanceDocs lance, TextEmbedder embedder, Queries queries, int k, Progress progress,
      Terminal out) throws Exception {
    Optional<Integer> updateRank = Optional.empty();
    Optional<Change> update = featured(changes, Op.UPDATE);
    if (update.isPresent()) {
      updateRank = Optional.of(findChanged(update.get(), "updated to", lance, embedder,
          queries, k, out));
    }
    Optional<Integer> insertRank = Optional.empty();
    Optional<Change> insert = featured(changes, Op.INSERT);
    if (insert.isPresent()) {
      insertRank = Optional.of(findChanged(insert.get(), "inserted as", lance, embedder,
          queries, k, out));
    }
    Optional<Boolean> deleteGone = Optional.empty();
    Optional<Change> delete = featured(changes, Op.DELETE);
    if (delete.isPresent()) {
      Change c = delete.get();
      String q = queries.of(c.featured().orElseThrow());
      List<Hit> hits = lance.search(embedder.embed(q), k);
      boolean ok = hits.stream().noneMatch(h -> h.id() == c.listing().id());
      out.line(String.format("  search \"%s\" (listing %d, \"%s\", was just deleted): %s %s",
          q, c.listing().id(), c.listing().text(), ok ? OK : FAIL, ok ? "not in the top " + k
              + (hits.isEmpty() ? "" : String.format("; nearest now: listing %d, \"%s\"",
                  hits.get(0).id(), hits.get(0).text())) : "still returned"));
      deleteGone = Optional.of(ok);
    }
    return new RoundReport(round, deltaVersion, count(changes, Op.INSERT),
        count(changes, Op.UPDATE), count(changes, Op.DELETE), lance.version(),
        progress.batches(), progress.lastLag(), insertRank, updateRank, deleteGone);
  }

  /** Searches for a written listing; returns its rank at its new revision, 0 if absent. */
  private static int findChanged(Change c, String what, LanceDocs lance, TextEmbedder embedder,
      Queries queries, int k, Terminal out) throws Exception {
    String q = queries.of(c.featured().orElseThrow());
    List<Hit> hits = lance.search(embedder.embed(q), k);
    int rank = 0;
    for (int i = 0; i < hits.size() && rank == 0; i++) {
      Hit h = hits.get(i);
      rank = h.id() == c.listing().id() && h.rev() == c.listing().rev() ? i + 1 : 0;
    }
    out.line(String.format("  search \"%s\" (listing %d was just %s \"%s\", rev %d):", q,
        c.listing().id(), what, c.listing().text(), c.listing().rev()));
    for (int i = 0; i < hits.size(); i++) {
      Hit h = hits.get(i);
      out.line(String.format("    %d. listing %-9d rev %-2d d=%.3f  %s%s", i + 1, h.id(),
          h.rev(), h.distance(), h.text(), h.id() == c.listing().id() ? "   <- the change" : ""));
    }
    boolean ok = rank >= 1 && rank <= MAX_RANK;
    out.line("    " + (ok ? OK : FAIL) + (rank == 0 ? " not in the top " + k
        : " found at rank " + rank) + " (must be <= " + MAX_RANK + ")");
    return rank;
  }

  private static Optional<Change> featured(List<Change> changes, Op op) {
    return changes.stream().filter(c -> c.op() == op && c.featured().isPresent()).findFirst();
  }

  private static long count(List<Change> changes, Op op) {
    return changes.stream().filter(c -> c.op() == op).count();
  }
}
