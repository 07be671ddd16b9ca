package io.github.lancesink.testkit.internal;

import io.github.lancesink.WriteMode;
import io.github.lancesink.testkit.internal.KeyedRows.Row;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A random sequence of keyed batches over a small key universe (so keys are inserted, updated,
 * deleted and re-inserted) together with the reference model: a plain map id -> val.
 */
public final class KeyedScenario {
  public static final int KEYS = 12;
  /** replaceGroups: groups r0..r3; group g holds ids g*100 .. g*100+5. */
  public static final int GROUPS = 4;

  /** The write mode a scenario exercises. */
  public enum Kind { UPSERT, SEQUENCED_UPSERT, CDC, REPLACE_GROUPS }

  /** One batch and the model state after applying it. */
  public record Step(KeyedRows batch, Map<Long, Long> after) {}

  public final WriteMode mode;
  public final List<Step> steps = new ArrayList<>();

  /** A scenario of a kind drawn from the seed (each of the four kinds). */
  public KeyedScenario(long seed, int batches) {
    this(seed, batches, -1);
  }

  /** A change-feed scenario whatever the seed (for the Spark adapter's collapse). */
  public static KeyedScenario cdc(long seed, int batches) {
    return of(Kind.CDC, seed, batches);
  }

  /** A scenario of the given kind whatever the seed. */
  public static KeyedScenario of(Kind kind, long seed, int batches) {
    return new KeyedScenario(seed, batches, kind.ordinal());
  }

  private KeyedScenario(long seed, int batches, int forcedKind) {
    Random rnd = new Random(seed);
    int drawn = rnd.nextInt(Kind.values().length);
    int kind = forcedKind >= 0 ? forcedKind : drawn;
    this.mode = switch (kind) {
      case 0 -> WriteMode.upsert("id");
      case 1 -> WriteMode.upsert("id").withSequenceColumn("seq");
      case 3 -> WriteMode.replaceGroups("grp");
      default -> WriteMode.cdc("id");
    };
    Map<Long, Long> model = new HashMap<>();
    long val = 1;
    long commitVersion = 1;
    for (int b = 0; b < batches; b++) {
      int n = 1 + rnd.nextInt(6);
      KeyedRows batch;
      if (kind == 0) {
        batch = KeyedRows.upsert();
        List<Long> ids = new ArrayList<>();
        for (long k = 0; k < KEYS; k++) {
          ids.add(k);
        }
        Collections.shuffle(ids, rnd);
        for (long id : ids.subList(0, n)) {
          batch.add(Row.of(id, val));
          model.put(id, val++);
        }
      } else if (kind == 1) {
        batch = KeyedRows.upsert().withSeq();
        List<Long> seqs = new ArrayList<>();
        for (long s = 0; s < n; s++) {
          seqs.add(s);
        }
        Collections.shuffle(seqs, rnd);
        Map<Long, long[]> best = new HashMap<>(); // id -> {seq, val}
        for (int i = 0; i < n; i++) {
          long id = rnd.nextInt(KEYS / 2); // few keys: duplicates are common
          long seq = seqs.get(i);
          batch.add(new Row(id, "g", val, null, null, seq));
          long[] prev = best.get(id);
          if (prev == null || seq > prev[0]) {
            best.put(id, new long[] {seq, val});
          }
          val++;
        }
        best.forEach((id, sv) -> model.put(id, sv[1]));
      } else if (kind == 3) {
        batch = replaceGroups(rnd, model, val);
        val += batch.rows().size();
      } else {
        batch = KeyedRows.cdc();
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          long id = rnd.nextInt(KEYS);
          long v = commitVersion++;
          int op = rnd.nextInt(4);
          if (op == 0) {
            rows.add(Row.change(id, val, "insert", v));
            model.put(id, val++);
          } else if (op == 1) {
            rows.add(Row.change(id, model.getOrDefault(id, -1L), "update_preimage", v));
            rows.add(Row.change(id, val, "update_postimage", v));
            model.put(id, val++);
          } else if (op == 2) {
            rows.add(Row.change(id, model.getOrDefault(id, -1L), "delete", v));
            model.remove(id);
          } else {
            // an overwrite or replaceWhere: one Delta commit deletes and re-inserts the key;
            // the insert is its final state, whatever the row order (shuffled below)
            rows.add(Row.change(id, model.getOrDefault(id, -1L), "delete", v));
            rows.add(Row.change(id, val, "insert", v));
            model.put(id, val++);
          }
        }
        // delivery order does not matter: the commit version (then ChangeFeed.precedence) decides
        Collections.shuffle(rows, rnd);
        if (rnd.nextBoolean()) {
          batch.chunked(1 + rnd.nextInt(3));
        }
        batch.add(rows);
      }
      steps.add(new Step(batch, Map.copyOf(model)));
    }
  }

  /**
   * One to two whole groups, each replaced by one to four rows of ids from its own range (so an
   * id never moves between groups, and ids come back in later generations).
   */
  private static KeyedRows replaceGroups(Random rnd, Map<Long, Long> model, long firstVal) {
    KeyedRows batch = KeyedRows.upsert();
    List<Integer> groups = new ArrayList<>();
    for (int g = 0; g < GROUPS; g++) {
      groups.add(g);
    }
    Collections.shuffle(groups, rnd);
    List<Row> rows = new ArrayList<>();
    long val = firstVal;
    for (int g : groups.subList(0, 1 + rnd.nextInt(2))) {
      model.keySet().removeIf(id -> id / 100 == g);
      List<Long> ids = new ArrayList<>();
      for (long k = 0; k < 6; k++) {
        ids.add(g * 100L + k);
      }
      Collections.shuffle(ids, rnd);
      for (long id : ids.subList(0, 1 + rnd.nextInt(4))) {
        rows.add(Row.grouped(id, "r" + g, val));
        model.put(id, val++);
      }
    }
    Collections.shuffle(rows, rnd);
    if (rnd.nextBoolean()) {
      batch.chunked(1 + rnd.nextInt(3));
    }
    return batch.add(rows);
  }
}
