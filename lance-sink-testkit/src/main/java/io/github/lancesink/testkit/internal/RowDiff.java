package io.github.lancesink.testkit.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The difference between expected and actual rows, matched by a key column: keys missing from
 * the table, keys the table holds but should not, keys held more than once, and keys whose other
 * values differ (column by column). Renders the first {@link #SHOWN} of each for a failure
 * message.
 */
public final class RowDiff {
  /** How many entries of each kind a message shows. */
  public static final int SHOWN = 5;

  private final String key;
  private final List<Object> missing = new ArrayList<>();
  private final List<Object> extra = new ArrayList<>();
  private final List<Object> duplicated = new ArrayList<>();
  private final Map<Object, String> differing = new LinkedHashMap<>();

  private RowDiff(String key) {
    this.key = key;
  }

  /** Compares {@code actual} with {@code expected}, both matched by {@code key}. */
  public static RowDiff of(String key, List<Map<String, Object>> expected,
      List<Map<String, Object>> actual) {
    RowDiff d = new RowDiff(key);
    Map<Object, Map<String, Object>> want = index(key, expected);
    Map<Object, List<Map<String, Object>>> have = new TreeMap<>(RowDiff::compare);
    for (Map<String, Object> row : actual) {
      have.computeIfAbsent(row.get(key), k -> new ArrayList<>()).add(row);
    }
    for (Map.Entry<Object, Map<String, Object>> e : want.entrySet()) {
      List<Map<String, Object>> rows = have.get(e.getKey());
      if (rows == null) {
        d.missing.add(e.getKey());
        continue;
      }
      if (rows.size() > 1) {
        d.duplicated.add(e.getKey() + " x" + rows.size());
      }
      String cols = differences(e.getValue(), rows.get(0));
      if (!cols.isEmpty()) {
        d.differing.put(e.getKey(), cols);
      }
    }
    for (Map.Entry<Object, List<Map<String, Object>>> e : have.entrySet()) {
      if (!want.containsKey(e.getKey())) {
        d.extra.add(e.getKey());
      }
    }
    return d;
  }

  /** True when the rows match. */
  public boolean isEmpty() {
    return missing.isEmpty() && extra.isEmpty() && duplicated.isEmpty() && differing.isEmpty();
  }

  /** A multi-line report of the first few differences of each kind. */
  public String render() {
    StringBuilder sb = new StringBuilder();
    line(sb, "missing " + key + "s", missing);
    line(sb, "unexpected " + key + "s", extra);
    line(sb, "duplicated " + key + "s", duplicated);
    if (!differing.isEmpty()) {
      sb.append("  differing rows (").append(differing.size()).append("):");
      differing.entrySet().stream().limit(SHOWN).forEach(e -> sb.append("\n    ").append(key)
          .append('=').append(e.getKey()).append(": ").append(e.getValue()));
      if (differing.size() > SHOWN) {
        sb.append("\n    ...");
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  private static void line(StringBuilder sb, String what, List<Object> keys) {
    if (!keys.isEmpty()) {
      sb.append("  ").append(what).append(" (").append(keys.size()).append("): ")
          .append(keys.subList(0, Math.min(SHOWN, keys.size())))
          .append(keys.size() > SHOWN ? " ..." : "").append('\n');
    }
  }

  private static String differences(Map<String, Object> want, Map<String, Object> have) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, Object> e : want.entrySet()) {
      Object h = have.get(e.getKey());
      if (!Objects.equals(normalize(e.getValue()), normalize(h))) {
        out.add(e.getKey() + " expected <" + e.getValue() + "> but was <" + h + ">");
      }
    }
    return String.join(", ", out);
  }

  /** Numbers compare by value (an int 3 equals a long 3); everything else by equals. */
  private static Object normalize(Object v) {
    if (v instanceof Byte || v instanceof Short || v instanceof Integer || v instanceof Long) {
      return ((Number) v).longValue();
    }
    if (v instanceof Float f) {
      return f.doubleValue();
    }
    return v instanceof CharSequence cs ? cs.toString() : v;
  }

  private static Map<Object, Map<String, Object>> index(String key,
      List<Map<String, Object>> rows) {
    Map<Object, Map<String, Object>> out = new TreeMap<>(RowDiff::compare);
    for (Map<String, Object> r : rows) {
      if (out.put(r.get(key), r) != null) {
        throw new IllegalArgumentException("the expected rows repeat " + key + "="
            + r.get(key) + "; each expected row needs its own key");
      }
    }
    return out;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int compare(Object a, Object b) {
    Object x = normalize(a);
    Object y = normalize(b);
    if (x == null || y == null) {
      return x == y ? 0 : x == null ? -1 : 1;
    }
    if (x.getClass() == y.getClass() && x instanceof Comparable c) {
      return c.compareTo(y);
    }
    return String.valueOf(x).compareTo(String.valueOf(y));
  }
}
