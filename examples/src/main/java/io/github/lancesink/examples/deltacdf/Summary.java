package io.github.lancesink.examples.deltacdf;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/** The final summary table and the Lance-equals-Delta check. */
final class Summary {
  private Summary() {}

  static void table(List<RoundReport> rounds, Terminal out) {
    String fmt = "  %5s | %7s | %6s | %6s | %6s | %7s | %7s | %7s | %-10s | %-10s | %-11s";
    out.line(String.format(fmt, "round", "delta v", "insert", "update", "delete", "lance v",
        "batches", "lag", "insert hit", "update hit", "delete gone"));
    out.line("  " + "-".repeat(String.format(fmt, "", "", "", "", "", "", "", "", "", "", "")
        .length() - 2));
    for (RoundReport r : rounds) {
      out.line(String.format(fmt, r.round(), r.deltaVersion(), r.inserts(), r.updates(),
          r.deletes(), r.lanceVersion(), r.batches(), Progress.lag(r.lag().orElse(null)),
          rank(r.insertRank()), rank(r.updateRank()), mark(r.deleteGone().orElse(null))));
    }
  }

  private static String rank(Optional<Integer> rank) {
    return rank.map(r -> (RoundReport.found(rank) ? RoundReport.OK : RoundReport.FAIL)
        + (r == 0 ? " -" : " #" + r)).orElse("-");
  }

  private static String mark(Boolean ok) {
    return ok == null ? "-" : ok ? RoundReport.OK : RoundReport.FAIL;
  }

  /**
   * Compares the Lance dataset with the Delta table's latest state embedded by the same model,
   * listing by listing (key, revision, text, every vector component and the model name). Returns
   * the differences, empty when equal.
   */
  static List<String> differences(Map<Long, Doc> delta, Map<Long, Doc> lance) {
    List<String> diffs = new ArrayList<>();
    TreeSet<Long> keys = new TreeSet<>(delta.keySet());
    keys.addAll(lance.keySet());
    for (Long k : keys) {
      Doc d = delta.get(k);
      Doc l = lance.get(k);
      if (l == null) {
        diffs.add("listing " + k + " is in Delta but missing from Lance");
      } else if (d == null) {
        diffs.add("listing " + k + " is in Lance but not in Delta (a delete was lost or a row was"
            + " duplicated)");
      } else if (!Objects.equals(d, l)) {
        diffs.add("listing " + k + " differs: Delta " + d + ", Lance " + l);
      }
    }
    return diffs;
  }
}
