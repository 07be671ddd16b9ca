package io.github.lancesink.examples.deltacdf;

import io.github.lancesink.examples.deltacdf.DocumentGenerator.Change;
import io.github.lancesink.examples.deltacdf.DocumentGenerator.Op;
import io.github.lancesink.examples.deltacdf.LanceDocs.Hit;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What one round did and whether vector search saw it: after the stream caught up, the new
 * text of an updated document must come back first with its new revision, and a deleted
 * document must not come back at all.
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
    Optional<Boolean> insertFound,
    Optional<Boolean> updateFound,
    Optional<Boolean> deleteGone) {

  static final String OK = "[ok]";
  static final String FAIL = "[FAIL]";

  boolean passed() {
    return insertFound.orElse(true) && updateFound.orElse(true) && deleteGone.orElse(true);
  }

  /** Runs the round's searches against Lance, prints them, and returns the round's report. */
  static RoundReport search(int round, long deltaVersion, List<Change> changes,
      LanceDocs lance, HashingEmbedder embedder, int k, Progress progress, Terminal out)
      throws Exception {
    Optional<Boolean> insertFound = Optional.empty();
    Optional<Change> insert = first(changes, Op.INSERT);
    if (insert.isPresent()) {
      Doc d = insert.get().doc();
      List<Hit> hits = lance.search(d.vector(), 1);
      boolean ok = !hits.isEmpty() && hits.get(0).id() == d.id();
      out.line(String.format("  search the vector of new doc %d: %s %s", d.id(),
          ok ? OK : FAIL, ok ? "found at rank 1" : "not found"));
      insertFound = Optional.of(ok);
    }
    Optional<Boolean> updateFound = Optional.empty();
    Optional<Change> update = first(changes, Op.UPDATE);
    if (update.isPresent()) {
      Doc d = update.get().doc();
      List<Hit> hits = lance.search(embedder.embed(d.text()), k);
      boolean ok = !hits.isEmpty() && hits.get(0).id() == d.id() && hits.get(0).rev() == d.rev();
      out.line(String.format("  search \"%s\" (doc %d was just updated to rev %d):", d.text(),
          d.id(), d.rev()));
      for (int i = 0; i < hits.size(); i++) {
        Hit h = hits.get(i);
        out.line(String.format("    %d. doc %-9d rev %-2d d=%.3f  %s%s", i + 1, h.id(), h.rev(),
            h.distance(), h.text(), h.id() == d.id() ? "   <- the update" : ""));
      }
      out.line("    " + (ok ? OK : FAIL) + " the updated document is the top hit, at its new"
          + " revision");
      updateFound = Optional.of(ok);
    }
    Optional<Boolean> deleteGone = Optional.empty();
    Optional<Change> delete = first(changes, Op.DELETE);
    if (delete.isPresent()) {
      Doc d = delete.get().doc();
      List<Hit> hits = lance.search(d.vector(), k);
      boolean ok = hits.stream().noneMatch(h -> h.id() == d.id());
      out.line(String.format("  search the old vector of deleted doc %d: %s %s", d.id(),
          ok ? OK : FAIL, ok ? "not in the top " + k + (hits.isEmpty() ? "" : String.format(
              " (nearest is doc %d, d=%.3f)", hits.get(0).id(), hits.get(0).distance()))
              : "still searchable"));
      deleteGone = Optional.of(ok);
    }
    return new RoundReport(round, deltaVersion, count(changes, Op.INSERT),
        count(changes, Op.UPDATE), count(changes, Op.DELETE), lance.version(),
        progress.batches(), progress.lastLag(), insertFound, updateFound, deleteGone);
  }

  private static Optional<Change> first(List<Change> changes, Op op) {
    return changes.stream().filter(c -> c.op() == op).findFirst();
  }

  private static long count(List<Change> changes, Op op) {
    return changes.stream().filter(c -> c.op() == op).count();
  }
}
