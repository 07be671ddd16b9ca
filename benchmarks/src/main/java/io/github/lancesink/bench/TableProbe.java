package io.github.lancesink.bench;

import java.util.List;
import java.util.Locale;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.lance.Dataset;
import org.lance.Fragment;
import org.lance.index.IndexDescription;

/**
 * The table's shape after every batch, read cheaply: one long-lived lance-core handle moved to
 * the latest version, the fragment list from the manifest and {@code describeIndices()} for the
 * vector index's rows and segments. No version listing and no data scan, so it can run after
 * every commit (its cost is measured and reported).
 */
final class TableProbe implements AutoCloseable {
  /** One observation; {@code segments} is -1 while there is no vector index. */
  record Shape(long fragments, long rows, long unindexed, int segments) {
    boolean indexed() {
      return segments >= 0;
    }
  }

  private final String uri;
  private final BufferAllocator alloc = new RootAllocator();
  private Dataset ds;

  TableProbe(String uri) {
    this.uri = uri;
  }

  Shape read() {
    if (ds == null) {
      ds = Dataset.open(uri, alloc);
    } else {
      ds.checkoutLatest();
    }
    List<Fragment> fragments = ds.getFragments();
    long physical = 0;
    for (Fragment f : fragments) {
      physical += f.metadata().getPhysicalRows();
    }
    // while a retrain lands there can be two vector indices (the sink builds it under the
    // other name); like the sink's own stats, count the one that covers the most rows
    IndexDescription vector = null;
    for (IndexDescription d : ds.describeIndices()) {
      String type = d.getIndexType().toUpperCase(Locale.ROOT);
      boolean isVector = type.contains("IVF") || type.contains("HNSW") || type.contains("PQ")
          || type.contains("VECTOR");
      if (isVector && (vector == null || d.getRowsIndexed() > vector.getRowsIndexed())) {
        vector = d;
      }
    }
    return vector == null ? new Shape(fragments.size(), physical, physical, -1)
        : new Shape(fragments.size(), physical, Math.max(0, physical - vector.getRowsIndexed()),
            Math.max(1, vector.getSegments().size()));
  }

  @Override
  public void close() {
    if (ds != null) {
      ds.close();
    }
    alloc.close();
  }
}
