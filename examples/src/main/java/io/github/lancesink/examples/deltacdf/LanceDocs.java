package io.github.lancesink.examples.deltacdf;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.lance.Dataset;
import org.lance.ReadOptions;
import org.lance.ipc.LanceScanner;
import org.lance.ipc.Query;
import org.lance.ipc.ScanOptions;

/**
 * The serving side: reads the Lance dataset the sink maintains, with the plain Lance Java API.
 * Your search service does the same; it needs no lance-sink code.
 */
final class LanceDocs implements AutoCloseable {
  /** One search result. */
  record Hit(long id, int rev, String text, float distance) {}

  private final String uri;
  private final Map<String, String> storageOptions;
  private final BufferAllocator allocator = new RootAllocator();

  LanceDocs(String uri, Map<String, String> storageOptions) {
    this.uri = uri;
    this.storageOptions = storageOptions;
  }

  private Dataset open() {
    return Dataset.open(allocator, uri,
        new ReadOptions.Builder().setStorageOptions(storageOptions).build());
  }

  /** The latest version of the dataset. */
  long version() {
    try (Dataset ds = open()) {
      return ds.version();
    }
  }

  /**
   * The {@code k} nearest documents to {@code query} in the latest version. Rows committed since
   * the last index refresh are searched too (by a flat scan), so results are as fresh as the
   * last commit.
   */
  List<Hit> search(float[] query, int k) throws Exception {
    Query nearest = new Query.Builder().setColumn(DeltaCdfToLance.VECTOR_COLUMN).setKey(query)
        .setK(k).build();
    ScanOptions options = new ScanOptions.Builder().nearest(nearest)
        .columns(List.of("id", "rev", "text", "_distance")).build();
    List<Hit> hits = new ArrayList<>();
    try (Dataset ds = open();
        LanceScanner scanner = ds.newScan(options);
        ArrowReader reader = scanner.scanBatches()) {
      while (reader.loadNextBatch()) {
        VectorSchemaRoot root = reader.getVectorSchemaRoot();
        for (int r = 0; r < root.getRowCount(); r++) {
          hits.add(new Hit((Long) root.getVector("id").getObject(r),
              (Integer) root.getVector("rev").getObject(r),
              String.valueOf(root.getVector("text").getObject(r)),
              (Float) root.getVector("_distance").getObject(r)));
        }
      }
    }
    hits.sort((a, b) -> Float.compare(a.distance(), b.distance()));
    return hits;
  }

  /** Every live row of the latest version, by key; fails on a duplicate key. */
  Map<Long, Doc> state() throws Exception {
    Map<Long, Doc> out = new TreeMap<>();
    ScanOptions options = new ScanOptions.Builder()
        .columns(List.of("id", "rev", "text", DeltaCdfToLance.VECTOR_COLUMN,
            EmbedChangedRows.MODEL)).build();
    try (Dataset ds = open();
        LanceScanner scanner = ds.newScan(options);
        ArrowReader reader = scanner.scanBatches()) {
      while (reader.loadNextBatch()) {
        VectorSchemaRoot root = reader.getVectorSchemaRoot();
        FieldVector vec = root.getVector(DeltaCdfToLance.VECTOR_COLUMN);
        for (int r = 0; r < root.getRowCount(); r++) {
          long id = (Long) root.getVector("id").getObject(r);
          List<?> v = (List<?>) vec.getObject(r);
          float[] f = new float[v.size()];
          for (int i = 0; i < f.length; i++) {
            f[i] = (Float) v.get(i);
          }
          Doc d = new Doc(id, (Integer) root.getVector("rev").getObject(r),
              String.valueOf(root.getVector("text").getObject(r)), f,
              String.valueOf(root.getVector(EmbedChangedRows.MODEL).getObject(r)));
          if (out.put(id, d) != null) {
            throw new IllegalStateException("duplicate key " + id + " in " + uri);
          }
        }
      }
    }
    return out;
  }

  @Override
  public void close() {
    allocator.close();
  }
}
