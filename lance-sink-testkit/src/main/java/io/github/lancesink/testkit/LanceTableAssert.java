package io.github.lancesink.testkit;

import io.github.lancesink.internal.Marker;
import io.github.lancesink.spi.LanceTable;
import io.github.lancesink.testkit.internal.RowDiff;
import io.github.lancesink.spi.VersionProperties;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a {@link LanceTable}'s live rows and its dedup markers. Obtain one through
 * {@link LanceAssertions#assertThat(LanceTable)}. Each assertion reads the table afresh.
 *
 * @since 0.1.0
 */
public final class LanceTableAssert extends AbstractAssert<LanceTableAssert, LanceTable> {

  LanceTableAssert(LanceTable actual) {
    super(actual, LanceTableAssert.class);
  }

  /** The table holds exactly rows with these ids (column {@code id}), in any order. */
  public LanceTableAssert containsExactlyRowsById(long... ids) {
    isNotNull();
    List<Long> expected = Arrays.stream(ids).boxed().sorted().toList();
    List<Long> actualIds = ids();
    if (!actualIds.equals(expected)) {
      failWithMessage("Expected %s to hold exactly the ids%n  %s%nbut it holds%n  %s%n%s",
          actual.displayUri(), summarize(expected), summarize(actualIds),
          diff(expected, actualIds));
    }
    return this;
  }

  /** The table holds exactly rows with these ids (column {@code id}), in any order. */
  public LanceTableAssert containsExactlyRowsById(List<Long> ids) {
    return containsExactlyRowsById(ids.stream().mapToLong(Long::longValue).toArray());
  }

  /**
   * The table holds exactly the rows of {@code batches} (id, text and vector values equal), each
   * once, in any order.
   */
  public LanceTableAssert containsExactlyRowsOf(TestBatch... batches) {
    isNotNull();
    Map<Long, List<Object>> expected = new HashMap<>();
    List<Long> expectedIds = new ArrayList<>();
    for (TestBatch b : batches) {
      for (TestBatch.Row r : b.rows()) {
        expected.put(r.id(), Arrays.asList(r.text(), r.vectorList()));
        expectedIds.add(r.id());
      }
    }
    containsExactlyRowsById(expectedIds);
    List<Map<String, Object>> want = new ArrayList<>();
    expected.forEach((id, v) -> {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("id", id);
      row.put("text", v.get(0));
      row.put("vector", v.get(1));
      want.add(row);
    });
    RowDiff diff = RowDiff.of("id", want, TableRows.read(actual));
    if (!diff.isEmpty()) {
      failWithMessage("Expected %s to hold exactly the rows of the batches, but:%n%s",
          actual.displayUri(), diff.render());
    }
    return this;
  }

  /**
   * The table holds exactly {@code expected}, matched by {@code keyColumn}: every expected key
   * once, no other key, and each expected column equal (numbers by value; columns not named in
   * an expected row are not compared). On failure the message lists the first few missing,
   * unexpected, duplicated and differing keys.
   *
   * @since 0.1.0
   */
  public LanceTableAssert containsExactlyRowsByKey(String keyColumn,
      List<Map<String, Object>> expected) {
    isNotNull();
    RowDiff diff = RowDiff.of(keyColumn, expected, TableRows.read(actual));
    if (!diff.isEmpty()) {
      failWithMessage("Expected %s to hold exactly the %s expected rows (by %s), but:%n%s",
          actual.displayUri(), expected.size(), keyColumn, diff.render());
    }
    return this;
  }

  /** No two live rows share the same values in {@code columns}. */
  public LanceTableAssert hasNoDuplicateKeys(String... columns) {
    isNotNull();
    if (columns.length == 0) {
      throw new IllegalArgumentException("name at least one key column");
    }
    Map<List<Object>, Integer> counts = new LinkedHashMap<>();
    for (Map<String, Object> row : TableRows.read(actual, OptionalLong.empty(),
        List.of(columns))) {
      List<Object> key = Arrays.stream(columns).map(row::get).toList();
      counts.merge(key, 1, Integer::sum);
    }
    Map<List<Object>, Integer> dups = counts.entrySet().stream().filter(e -> e.getValue() > 1)
        .limit(10).collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue,
            (a, b) -> a, LinkedHashMap::new));
    if (!dups.isEmpty()) {
      failWithMessage("Expected no duplicate %s in %s but found (key=count, first 10): %s",
          List.of(columns), actual.displayUri(), dups);
    }
    return this;
  }

  /** The table holds {@code rows} live rows. */
  public LanceTableAssert hasRowCount(long rows) {
    isNotNull();
    long n = TableRows.read(actual, OptionalLong.empty(), List.of("id")).size();
    if (n != rows) {
      failWithMessage("Expected %s to hold %s rows but it holds %s", actual.displayUri(), rows, n);
    }
    return this;
  }

  /** The latest version is {@code version}. */
  public LanceTableAssert hasLatestVersion(long version) {
    isNotNull();
    OptionalLong v = actual.latestVersion();
    if (v.isEmpty() || v.getAsLong() != version) {
      failWithMessage("Expected %s at version %s but it is at %s", actual.displayUri(), version,
          v.isEmpty() ? "none (absent)" : v.getAsLong());
    }
    return this;
  }

  /**
   * Exactly one readable version carries the marker of {@code writerId}'s batch {@code batchId}
   * (versions removed by cleanup cannot be seen).
   */
  public LanceTableAssert hasBatchCommittedOnce(String writerId, long batchId) {
    List<Long> versions = markerVersions(writerId, batchId);
    if (versions.size() != 1) {
      failWithMessage("Expected batch %s of writer '%s' committed exactly once in %s but its"
          + " marker is in versions %s", batchId, writerId, actual.displayUri(), versions);
    }
    return this;
  }

  /** No readable version carries the marker of {@code writerId}'s batch {@code batchId}. */
  public LanceTableAssert hasNoBatchCommitted(String writerId, long batchId) {
    List<Long> versions = markerVersions(writerId, batchId);
    if (!versions.isEmpty()) {
      failWithMessage("Expected batch %s of writer '%s' not committed in %s but its marker is in"
          + " versions %s", batchId, writerId, actual.displayUri(), versions);
    }
    return this;
  }

  /** The batch ids of {@code writerId}'s markers, in version order, are exactly {@code ids}. */
  public LanceTableAssert hasCommittedBatches(String writerId, long... ids) {
    List<Long> found = markers(writerId).stream().map(Marker::batchId).toList();
    List<Long> expected = Arrays.stream(ids).boxed().toList();
    if (!found.equals(expected)) {
      failWithMessage("Expected writer '%s' markers for batches %s in %s but found %s",
          writerId, expected, actual.displayUri(), found);
    }
    return this;
  }

  private List<Long> markerVersions(String writerId, long batchId) {
    isNotNull();
    List<Long> out = new ArrayList<>();
    forEachMarker((v, m) -> {
      if (m.writerId().equals(writerId) && m.batchId() == batchId) {
        out.add(v);
      }
    });
    return out;
  }

  private List<Marker> markers(String writerId) {
    isNotNull();
    List<Marker> out = new ArrayList<>();
    forEachMarker((v, m) -> {
      if (m.writerId().equals(writerId)) {
        out.add(m);
      }
    });
    return out;
  }

  /**
   * Visits every readable marker in version order, skipping markers whose commit was reverted
   * by a later version (see {@code LanceTable#revertAppend}).
   */
  private void forEachMarker(java.util.function.BiConsumer<Long, Marker> visit) {
    OptionalLong latest = actual.latestVersion();
    if (latest.isEmpty()) {
      return;
    }
    long from = actual.earliestVersion().orElse(1);
    Map<Long, Marker> found = new java.util.TreeMap<>();
    java.util.Set<Long> reverted = new java.util.HashSet<>();
    for (long v = from; v <= latest.getAsLong(); v++) {
      VersionProperties p = actual.properties(v);
      if (p.kind() == VersionProperties.Kind.PRESENT) {
        Optional<Marker> m = Marker.parse(p.properties());
        long version = v;
        m.ifPresent(marker -> found.put(version, marker));
        String of = p.properties().get(Marker.REVERT_OF);
        if (of != null) {
          reverted.add(Long.parseLong(of));
        }
      }
    }
    found.forEach((v, m) -> {
      if (!reverted.contains(v)) {
        visit.accept(v, m);
      }
    });
  }

  private List<Long> ids() {
    return TableRows.column(actual, "id").stream().map(o -> ((Number) o).longValue()).sorted()
        .toList();
  }

  private static String summarize(List<Long> ids) {
    return ids.size() <= 40 ? ids.toString() : ids.subList(0, 40) + "... (" + ids.size() + ")";
  }

  private static String diff(List<Long> expected, List<Long> actualIds) {
    Map<Long, Integer> count = new HashMap<>();
    expected.forEach(i -> count.merge(i, 1, Integer::sum));
    actualIds.forEach(i -> count.merge(i, -1, Integer::sum));
    List<Long> missing = new ArrayList<>();
    List<Long> extra = new ArrayList<>();
    count.forEach((id, c) -> {
      for (int i = 0; i < Math.abs(c); i++) {
        (c > 0 ? missing : extra).add(id);
      }
    });
    missing.sort(null);
    extra.sort(null);
    return "missing: " + summarize(missing) + ", unexpected or duplicated: " + summarize(extra);
  }
}
