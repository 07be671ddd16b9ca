package io.github.lancesink.internal.partition;

import io.github.lancesink.partition.PartitionLayout;
import io.github.lancesink.partition.PartitionSnapshot;
import io.github.lancesink.partition.SourceFile;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Groups a flat listing into partitions by the layout. Hidden paths (any segment starting with
 * {@code _} or {@code .}, e.g. {@code _temporary/} or {@code .part-0.crc}) are not data; the
 * success marker is noted. Partition paths that do not parse are collected as malformed.
 */
public record PartitionScan(List<PartitionSnapshot> partitions, Map<String, String> malformed) {

  public static PartitionScan of(List<SourceFile> files, PartitionLayout layout) {
    Map<String, Instant> times = new TreeMap<>();
    Map<String, List<SourceFile>> data = new TreeMap<>();
    Map<String, Boolean> marker = new TreeMap<>();
    Map<String, String> malformed = new LinkedHashMap<>();
    int depth = layout.depth();
    for (SourceFile f : files) {
      String[] seg = f.relativePath().split("/");
      if (hidden(seg, 0, Math.min(depth, seg.length))) {
        continue; // e.g. _spark_metadata/, .staging/, a root _SUCCESS
      }
      if (seg.length <= depth) {
        malformed.putIfAbsent(f.relativePath(), "File '" + f.relativePath() + "' is not inside"
            + " a partition directory of the layout " + layout.pattern());
        continue;
      }
      String path = String.join("/", java.util.Arrays.copyOf(seg, depth));
      var time = layout.tryParse(path);
      if (time.isEmpty()) {
        malformed.putIfAbsent(path, "Malformed partition path '" + path + "': expected the"
            + " layout " + layout.pattern() + " (for example '"
            + layout.format(Instant.parse("2026-05-04T10:05:00Z")) + "')");
        continue;
      }
      times.put(path, time.get());
      data.computeIfAbsent(path, k -> new ArrayList<>());
      marker.putIfAbsent(path, false);
      boolean direct = seg.length == depth + 1;
      if (direct && seg[depth].equals(PartitionSnapshot.SUCCESS_MARKER)) {
        marker.put(path, true);
      } else if (!hidden(seg, depth, seg.length)) {
        data.get(path).add(f);
      }
    }
    List<PartitionSnapshot> parts = new ArrayList<>();
    times.forEach((p, t) -> parts.add(new PartitionSnapshot(t, p, data.get(p), marker.get(p))));
    parts.sort(Comparator.comparing(PartitionSnapshot::time));
    return new PartitionScan(List.copyOf(parts), Map.copyOf(malformed));
  }

  private static boolean hidden(String[] seg, int from, int to) {
    for (int i = from; i < to; i++) {
      if (seg[i].startsWith("_") || seg[i].startsWith(".")) {
        return true;
      }
    }
    return false;
  }
}
