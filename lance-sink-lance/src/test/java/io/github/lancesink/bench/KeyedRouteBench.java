package io.github.lancesink.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.lance.CommitBuilder;
import org.lance.Dataset;
import org.lance.Fragment;
import org.lance.FragmentMetadata;
import org.lance.Transaction;
import org.lance.WriteParams;
import org.lance.index.IndexOptions;
import org.lance.index.IndexParams;
import org.lance.index.IndexType;
import org.lance.index.scalar.BTreeIndexParams;
import org.lance.ipc.LanceScanner;
import org.lance.ipc.ScanOptions;
import org.lance.merge.MergeInsertParams;
import org.lance.operation.Update;

/**
 * Route probe for keyed writes: (a) scan-by-key + deletion vectors + Update commit (marker in the
 * same commit) versus (b) mergeInsert (commits by itself). Not run by surefire. Run with
 * {@code java -cp <test classpath> io.github.lancesink.bench.KeyedRouteBench [rows] [batch]}.
 */
public final class KeyedRouteBench {
  static final int DIM = 128;

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int batch = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
    Path dir = Files.createTempDirectory("route");
    try (BufferAllocator alloc = new RootAllocator()) {
      String a = dir.resolve("a.lance").toString();
      String b = dir.resolve("b.lance").toString();
      create(alloc, a, rows);
      create(alloc, b, rows);
      Random rnd = new Random(1);
      for (int run = 0; run < 5; run++) {
        long[] keys = new long[batch];
        for (int i = 0; i < batch; i++) {
          keys[i] = rnd.nextInt(rows);
        }
        keys = java.util.Arrays.stream(keys).distinct().toArray();
        long t0 = System.nanoTime();
        routeA(alloc, a, keys);
        long t1 = System.nanoTime();
        routeB(alloc, b, keys);
        long t2 = System.nanoTime();
        System.out.printf("rows=%d batch=%d run=%d routeA=%.1f ms routeB=%.1f ms%n", rows,
            keys.length, run, (t1 - t0) / 1e6, (t2 - t1) / 1e6);
      }
      try (Dataset ds = Dataset.open().allocator(alloc).uri(a).build();
          Dataset ds2 = Dataset.open().allocator(alloc).uri(b).build()) {
        System.out.println("count a=" + ds.countRows() + " b=" + ds2.countRows());
      }
    }
  }

  static Schema schema() {
    return new Schema(List.of(
        Field.notNullable("id", new ArrowType.Int(64, true)),
        new Field("vector", FieldType.nullable(new ArrowType.FixedSizeList(DIM)),
            List.of(Field.nullable("item",
                new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE))))));
  }

  static VectorSchemaRoot rows(BufferAllocator alloc, long[] ids, float v) {
    VectorSchemaRoot root = VectorSchemaRoot.create(schema(), alloc);
    BigIntVector id = (BigIntVector) root.getVector("id");
    FixedSizeListVector vec = (FixedSizeListVector) root.getVector("vector");
    Float4Vector f = (Float4Vector) vec.getDataVector();
    root.allocateNew();
    for (int i = 0; i < ids.length; i++) {
      id.setSafe(i, ids[i]);
      vec.setNotNull(i);
      for (int j = 0; j < DIM; j++) {
        f.setSafe(i * DIM + j, v + j);
      }
    }
    root.setRowCount(ids.length);
    return root;
  }

  static ArrowReader reader(BufferAllocator alloc, long[] ids, float v) {
    VectorSchemaRoot root = rows(alloc, ids, v);
    return new ArrowReader(alloc) {
      boolean done;

      @Override
      public boolean loadNextBatch() {
        if (done) {
          return false;
        }
        done = true;
        return true;
      }

      @Override
      public VectorSchemaRoot getVectorSchemaRoot() {
        return root;
      }

      @Override
      public long bytesRead() {
        return 0;
      }

      @Override
      protected void closeReadSource() {
        root.close();
      }

      @Override
      protected Schema readSchema() {
        return root.getSchema();
      }
    };
  }

  static void create(BufferAllocator alloc, String uri, int rows) {
    try (Dataset ds = Dataset.write().allocator(alloc).schema(schema()).uri(uri)
        .mode(WriteParams.WriteMode.CREATE).execute()) {
      // created
    }
    int chunk = 50_000;
    for (int start = 0; start < rows; start += chunk) {
      long[] ids = new long[Math.min(chunk, rows - start)];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = start + i;
      }
      try (ArrowReader r = reader(alloc, ids, 0f);
          ArrowArrayStream s = ArrowArrayStream.allocateNew(alloc);
          Dataset ds = Dataset.open().allocator(alloc).uri(uri).build()) {
        Data.exportArrayStream(alloc, r, s);
        List<FragmentMetadata> f = Fragment.write().datasetUri(uri).data(s).execute();
        try (Transaction t = new Transaction.Builder().readVersion(ds.version())
            .operation(org.lance.operation.Append.builder().fragments(f).build()).build()) {
          new CommitBuilder(ds).execute(t).close();
        }
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    }
    try (Dataset ds = Dataset.open().allocator(alloc).uri(uri).build()) {
      ds.createIndex(IndexOptions.builder(List.of("id"), IndexType.BTREE,
          IndexParams.builder().setScalarIndexParams(BTreeIndexParams.builder().build()).build())
          .withIndexName("id_idx").replace(true).build());
    }
  }

  static void routeA(BufferAllocator alloc, String uri, long[] keys) throws Exception {
    try (Dataset ds = Dataset.open().allocator(alloc).uri(uri).build()) {
      long t0 = System.nanoTime();
      List<FragmentMetadata> staged;
      try (ArrowReader r = reader(alloc, keys, 1f);
          ArrowArrayStream s = ArrowArrayStream.allocateNew(alloc)) {
        Data.exportArrayStream(alloc, r, s);
        staged = Fragment.write().datasetUri(uri).data(s).execute();
      }
      long t1 = System.nanoTime();
      StringBuilder filter = new StringBuilder("id IN (");
      for (int i = 0; i < keys.length; i++) {
        filter.append(i == 0 ? "" : ",").append(keys[i]);
      }
      filter.append(')');
      Map<Integer, List<Integer>> byFrag = new HashMap<>();
      try (LanceScanner sc = ds.newScan(new ScanOptions.Builder().columns(List.of("id"))
          .filter(filter.toString()).withRowAddress(true).build());
          ArrowReader rr = sc.scanBatches()) {
        while (rr.loadNextBatch()) {
          VectorSchemaRoot root = rr.getVectorSchemaRoot();
          var addr = (org.apache.arrow.vector.UInt8Vector) root.getVector("_rowaddr");
          for (int i = 0; i < root.getRowCount(); i++) {
            long ad = addr.getObjectNoOverflow(i).longValue();
            byFrag.computeIfAbsent((int) (ad >>> 32), k -> new ArrayList<>()).add((int) ad);
          }
        }
      }
      long t2 = System.nanoTime();
      List<FragmentMetadata> updated = new ArrayList<>();
      List<Long> removed = new ArrayList<>();
      for (var e : byFrag.entrySet()) {
        FragmentMetadata m = ds.getFragment(e.getKey()).deleteRows(e.getValue());
        if (m == null) {
          removed.add((long) e.getKey());
        } else {
          updated.add(m);
        }
      }
      long t3 = System.nanoTime();
      try (Transaction t = new Transaction.Builder().readVersion(ds.version())
          .operation(Update.builder().removedFragmentIds(removed).updatedFragments(updated)
              .newFragments(staged).build())
          .transactionProperties(Map.of("lance-sink.marker", "x")).build()) {
        new CommitBuilder(ds).execute(t).close();
      }
      long t4 = System.nanoTime();
      System.out.printf("  A: write %.1f lookup %.1f (%d frags) delete %.1f commit %.1f%n",
          (t1 - t0) / 1e6, (t2 - t1) / 1e6, byFrag.size(), (t3 - t2) / 1e6, (t4 - t3) / 1e6);
    }
  }

  static void routeB(BufferAllocator alloc, String uri, long[] keys) throws Exception {
    try (Dataset ds = Dataset.open().allocator(alloc).uri(uri).build();
        ArrowReader r = reader(alloc, keys, 1f);
        ArrowArrayStream s = ArrowArrayStream.allocateNew(alloc)) {
      Data.exportArrayStream(alloc, r, s);
      ds.mergeInsert(new MergeInsertParams(List.of("id")).withMatchedUpdateAll()
          .withNotMatched(MergeInsertParams.WhenNotMatched.InsertAll), s);
    }
  }
}
