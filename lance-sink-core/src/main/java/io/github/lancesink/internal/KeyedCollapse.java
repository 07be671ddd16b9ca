package io.github.lancesink.internal;

import io.github.lancesink.InvalidBatchException;
import io.github.lancesink.WriteMode;
import io.github.lancesink.spi.KeyedChange;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * First pass over a keyed batch: checks keys, change types and ordering values, and collapses
 * several rows of one key to the winner. Holds per distinct key one small state object (key
 * values plus three longs) and, when rows can be superseded, one bit per row; never whole rows.
 */
final class KeyedCollapse {

  /** The winning row of a key so far. */
  private static final class State {
    final long ordinal;
    final long order;
    final boolean delete;
    final int precedence;

    State(long ordinal, long order, boolean delete, int precedence) {
      this.ordinal = ordinal;
      this.order = order;
      this.delete = delete;
      this.precedence = precedence;
    }

    /** {@link ChangeFeed#precedence}: later order wins, then precedence, then the later row. */
    boolean loses(long order, int precedence) {
      return order > this.order || (order == this.order && precedence >= this.precedence);
    }
  }

  private final WriteMode mode;
  private final List<String> keys;
  private final String orderColumn; // sequence column, _commit_version, or null
  private final long batchId;
  private final Map<List<Object>, State> states = new HashMap<>();
  private long rows;
  private String badColumn;
  private String badRule;
  private String firstBad;
  private long badCount;

  KeyedCollapse(WriteMode mode, String orderColumn, long batchId) {
    this.mode = mode;
    this.keys = mode.keys();
    this.orderColumn = orderColumn;
    this.batchId = batchId;
  }

  /** True when some rows may be dropped (superseded, deletes, pre-images). */
  boolean filters() {
    return mode.kind() == WriteMode.Kind.CDC || mode.sequenceColumn().isPresent();
  }

  void accept(VectorSchemaRoot root) {
    FieldVector order = orderColumn == null ? null : root.getVector(orderColumn);
    FieldVector change =
        mode.kind() == WriteMode.Kind.CDC ? root.getVector(ChangeFeed.CHANGE_TYPE) : null;
    for (int r = 0; r < root.getRowCount(); r++) {
      long ordinal = rows + r;
      List<Object> key = KeyValues.key(root, keys, r);
      int nullAt = key.indexOf(null);
      if (nullAt >= 0) {
        violation(keys.get(nullAt), "is a " + role() + " column and must not be null",
            "#" + ordinal + " (0-based row ordinal in the batch)");
        continue;
      }
      boolean delete = false;
      int precedence = 1;
      if (change != null) {
        Object raw = KeyValues.value(change, r);
        ChangeFeed.Change c = raw == null ? null : ChangeFeed.Change.parse((String) raw);
        if (c == null) {
          violation(ChangeFeed.CHANGE_TYPE, "must be one of " + ChangeFeed.WIRE_VALUES,
              describe(key) + " (" + ChangeFeed.CHANGE_TYPE + "=" + raw + ")");
          continue;
        }
        if (c == ChangeFeed.Change.UPDATE_PREIMAGE) {
          continue;
        }
        delete = c == ChangeFeed.Change.DELETE;
        precedence = ChangeFeed.precedence(c.wire);
      }
      long ord = 0;
      if (order != null) {
        Long o = KeyValues.order(order, r);
        if (o == null) {
          violation(orderColumn, "orders changes of one key and must not be null",
              describe(key));
          continue;
        }
        ord = o;
      }
      State prev = states.get(key);
      if (prev == null) {
        states.put(key, new State(ordinal, ord, delete, precedence));
      } else if (mode.kind() == WriteMode.Kind.REPLACE_GROUPS) {
        continue; // every row of a group is kept; one state per group
      } else if (!filters()) {
        violation(String.join(", ", keys), "holds duplicate keys (declare an ordering with"
            + " WriteMode.upsert(...).withSequenceColumn(column) to keep the latest row)",
            describe(key));
      } else if (prev.loses(ord, precedence)) {
        // ChangeFeed.precedence: later commit version (or sequence) wins; within one version an
        // insert or post-image beats a delete; full ties go to the later row
        states.put(key, new State(ordinal, ord, delete, precedence));
      }
    }
    rows += root.getRowCount();
  }

  private String role() {
    return mode.kind() == WriteMode.Kind.REPLACE_GROUPS ? "group" : "key";
  }

  private String describe(List<Object> key) {
    return KeyValues.describe(keys, key);
  }

  private void violation(String column, String rule, String first) {
    if (badColumn == null) {
      badColumn = column;
      badRule = rule;
      firstBad = first;
    }
    if (badColumn.equals(column) && badRule.equals(rule)) {
      badCount++;
    }
  }

  long rows() {
    return rows;
  }

  /** The rejection of this batch, or null when every row passed. */
  InvalidBatchException failure() {
    return badColumn == null ? null : Errors.badRows(badColumn, badRule, badCount, firstBad,
        batchId);
  }

  /** Rows to store: null means every row; otherwise the ordinals of winning non-delete rows. */
  BitSet keep() {
    if (!filters()) {
      return null;
    }
    BitSet keep = new BitSet();
    for (State s : states.values()) {
      if (!s.delete) {
        keep.set(Math.toIntExact(s.ordinal));
      }
    }
    return keep;
  }

  /** The stored rows the commit removes. */
  KeyedChange change() {
    Set<List<Object>> replaced = new HashSet<>();
    Set<List<Object>> deleted = new HashSet<>();
    for (Map.Entry<List<Object>, State> e : states.entrySet()) {
      (e.getValue().delete ? deleted : replaced).add(List.copyOf(e.getKey()));
    }
    return new KeyedChange(keys, replaced, deleted);
  }
}
