package io.github.lancesink.internal;

import io.github.lancesink.CommittedBatch;
import io.github.lancesink.spi.BatchSource;
import io.github.lancesink.spi.LanceTable;
import io.github.lancesink.spi.VersionProperties;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Predicate;

/** Reads a writer's commits back from the table, newest first (see LanceSink). */
public final class CommitHistory {
  private CommitHistory() {}

  /**
   * Hands each commit of {@code writerId} among the newest {@code lookback} versions to {@code
   * visitor}, newest first, until it returns false or a version was removed by cleanup.
   *
   * @return the number of versions read
   */
  public static int read(LanceTable table, String writerId, int lookback,
      Predicate<? super CommittedBatch> visitor) {
    OptionalLong latest = table.latestVersion();
    if (latest.isEmpty()) {
      return 0;
    }
    int read = 0;
    long floor = Math.max(1, latest.getAsLong() - lookback + 1);
    for (long v = latest.getAsLong(); v >= floor; v--) {
      read++;
      VersionProperties p = VersionReads.read(table, v);
      if (p.kind() == VersionProperties.Kind.MISSING) {
        break;
      }
      if (p.kind() != VersionProperties.Kind.PRESENT) {
        continue;
      }
      Optional<Marker> m = Marker.parse(p.properties());
      if (m.isEmpty() || !writerId.equals(m.get().writerId())) {
        continue;
      }
      if (!visitor.test(new CommittedBatch(v, m.get().batchId(), m.get().lineage(),
          sourceProperties(p.properties())))) {
        break;
      }
    }
    return read;
  }

  private static Map<String, String> sourceProperties(Map<String, String> all) {
    Map<String, String> out = new HashMap<>();
    all.forEach((k, v) -> {
      if (k.startsWith(BatchSource.SOURCE_PROPERTY_PREFIX)) {
        out.put(k.substring(BatchSource.SOURCE_PROPERTY_PREFIX.length()), v);
      }
    });
    return out;
  }
}
