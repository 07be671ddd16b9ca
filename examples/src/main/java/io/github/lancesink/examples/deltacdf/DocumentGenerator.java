package io.github.lancesink.examples.deltacdf;

import io.github.lancesink.examples.deltacdf.Listings.Featured;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * Generates the demo's shop listings and, for every round, a deterministic set of inserts,
 * updates and deletes against the table's current state. Replace it with your real source of
 * changes.
 *
 * <p>Each round rewrites one listing into a {@linkplain Listings#FEATURED one-of-a-kind} product
 * and inserts another one, and deletes the one-of-a-kind listings still live from earlier rounds
 * (the seed has one: listing 0), so that every round has a listing that a search by meaning
 * must find and one that it must no longer find. The other changes are ordinary edits, new
 * listings and removals of everyday products.
 */
final class DocumentGenerator {

  /** What a change does to its listing. */
  enum Op {
    INSERT,
    UPDATE,
    DELETE
  }

  /** A listing as the source table holds it (no vector: that is computed by the stream). */
  record Listing(long id, int rev, String text) {}

  /** One change to apply to the source table. */
  record Change(Op op, Listing listing) {
    /** The one-of-a-kind listing this change writes or deletes, if it is one. */
    Optional<Featured> featured() {
      int i = Listings.featuredIndex(listing.text());
      return i < 0 ? Optional.empty() : Optional.of(Listings.FEATURED.get(i));
    }
  }

  /** Inserts of listings {@code 0 .. n-1}; listing 0 is one of a kind. */
  List<Change> seed(int n) {
    List<Change> out = new ArrayList<>(n);
    for (long id = 0; id < n; id++) {
      String text = id == 0 ? Listings.FEATURED.get(0).listing() : Listings.everyday(id, 0);
      out.add(new Change(Op.INSERT, new Listing(id, 0, text)));
    }
    return out;
  }

  /**
   * Round {@code round}'s changes against {@code live} (every live listing): updates and deletes
   * of distinct existing listings, and inserts of new keys. One-of-a-kind listings are deleted
   * first; the first update and the first insert write new ones.
   */
  List<Change> round(int round, Map<Long, Listing> live, int inserts, int updates,
      int deletes) {
    List<Long> featured = new ArrayList<>();
    List<Long> everyday = new ArrayList<>();
    for (Listing l : live.values()) {
      (Listings.featuredIndex(l.text()) >= 0 ? featured : everyday).add(l.id());
    }
    Collections.sort(featured);
    Collections.sort(everyday);
    Collections.shuffle(everyday, new Random(round * 7_919L));

    List<Long> deleted = new ArrayList<>();
    for (int i = 0; i < featured.size() && deleted.size() < deletes; i++) {
      deleted.add(featured.get(i));
    }
    int u = Math.min(updates, everyday.size());
    for (int i = u; i < everyday.size() && deleted.size() < deletes; i++) {
      deleted.add(everyday.get(i));
    }
    Set<Integer> taken = new HashSet<>();
    for (long id : featured) {
      if (!deleted.contains(id)) {
        taken.add(Listings.featuredIndex(live.get(id).text()));
      }
    }

    List<Change> out = new ArrayList<>();
    for (int i = 0; i < u; i++) {
      Listing old = live.get(everyday.get(i));
      Optional<String> unique = i == 0 ? nextFree(2 * round - 1, taken) : Optional.empty();
      String text = unique.orElseGet(() -> Listings.everyday(old.id(), old.rev() + 1));
      out.add(new Change(Op.UPDATE, new Listing(old.id(), old.rev() + 1, text)));
    }
    for (long id : deleted) {
      out.add(new Change(Op.DELETE, live.get(id)));
    }
    // round r inserts keys r*1,000,000 onwards: keys are never reused, so a deleted key must
    // stay absent from Lance
    long next = round * 1_000_000L;
    for (int i = 0; i < inserts; i++) {
      long id = next + i;
      Optional<String> unique = i == 0 ? nextFree(2 * round, taken) : Optional.empty();
      out.add(new Change(Op.INSERT,
          new Listing(id, 0, unique.orElseGet(() -> Listings.everyday(id, 0)))));
    }
    return out;
  }

  /** The first one-of-a-kind listing from {@code start} on that is not live; marks it taken. */
  private static Optional<String> nextFree(int start, Set<Integer> taken) {
    int n = Listings.FEATURED.size();
    for (int k = 0; k < n; k++) {
      int i = Math.floorMod(start + k, n);
      if (taken.add(i)) {
        return Optional.of(Listings.FEATURED.get(i).listing());
      }
    }
    return Optional.empty();
  }
}
