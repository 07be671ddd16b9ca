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
    for (IndexDescription d : ds.describeIndices()) {
      String type = d.getIndexType().toUpperCase(Locale.ROOT);
      if (type.contains("IVF") || type.contains("HNSW") || type.contains("PQ")
          || type.contains("VECTOR")) {
        return new Shape(fragments.size(), physical,
            Math.max(0, physical - d.getRowsIndexed()), Math.max(1, d.getSegments().size()));
      }
    }
    return new Shape(fragments.size(), physical, physical, -1);
  }

  @Override
  public void close() {
    if (ds != null) {
      ds.close();
    }
    alloc.close();
  }
}
