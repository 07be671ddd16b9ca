package io.github.lancesink.examples.deltacdf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generates the demo's documents and, for every round, a deterministic set of inserts, updates
 * and deletes against the table's current state. Replace it with your real source of changes.
 */
final class DocumentGenerator {
  private static final String[] WORDS = {
    "lance", "vector", "index", "search", "spark", "stream", "delta", "change", "feed", "batch",
    "commit", "fragment", "compaction", "embedding", "query", "latency", "freshness", "replay",
    "checkpoint", "storage", "object", "partition", "schema", "column", "arrow", "memory",
    "cluster", "driver", "executor", "shuffle", "window", "watermark", "trigger", "version",
    "cleanup", "retry", "backoff", "ledger", "marker", "exactly", "once", "duplicate", "delete",
    "update", "insert", "merge", "upsert", "document", "catalog", "gold", "layer", "table",
    "recall", "neighbour", "distance", "cosine", "centroid", "quantize", "graph", "cache"
  };

  /** What a change does to its document. */
  enum Op {
    INSERT,
    UPDATE,
    DELETE
  }

  /** One change to apply to the source table. */
  record Change(Op op, Doc doc) {}

  private final HashingEmbedder embedder;

  DocumentGenerator(HashingEmbedder embedder) {
    this.embedder = embedder;
  }

  /** The text of document {@code id} at revision {@code rev}: unique tokens plus topic words. */
  String text(long id, int rev) {
    Random r = new Random(id * 1_000_003L + rev);
    StringBuilder sb = new StringBuilder("doc-" + id + " rev-" + rev + ":");
    for (int i = 0; i < 6; i++) {
      sb.append(' ').append(WORDS[r.nextInt(WORDS.length)]);
    }
    return sb.toString();
  }

  Doc doc(long id, int rev) {
    String t = text(id, rev);
    return new Doc(id, rev, t, embedder.embed(t));
  }

  /** Inserts of documents {@code 0 .. n-1}. */
  List<Change> seed(int n) {
    List<Change> out = new ArrayList<>(n);
    for (long id = 0; id < n; id++) {
      out.add(new Change(Op.INSERT, doc(id, 0)));
    }
    return out;
  }

  /**
   * Round {@code round}'s changes against {@code live} (every live key's current revision):
   * updates and deletes of distinct existing documents, and inserts of new keys.
   */
  List<Change> round(int round, Map<Long, Integer> live, int inserts, int updates,
      int deletes) {
    List<Long> ids = new ArrayList<>(live.keySet());
    Collections.sort(ids);
    Collections.shuffle(ids, new Random(round * 7_919L));
    int u = Math.min(updates, ids.size());
    int d = Math.min(deletes, ids.size() - u);
    List<Change> out = new ArrayList<>();
    for (int i = 0; i < u; i++) {
      long id = ids.get(i);
      out.add(new Change(Op.UPDATE, doc(id, live.get(id) + 1)));
    }
    for (int i = u; i < u + d; i++) {
      long id = ids.get(i);
      out.add(new Change(Op.DELETE, doc(id, live.get(id))));
    }
    // round r inserts keys r*1,000,000 onwards: keys are never reused, so a deleted key must
    // stay absent from Lance
    long next = round * 1_000_000L;
    for (int i = 0; i < inserts; i++) {
      out.add(new Change(Op.INSERT, doc(next + i, 0)));
    }
    return out;
  }
}
