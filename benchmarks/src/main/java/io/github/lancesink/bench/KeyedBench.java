package io.github.lancesink.bench;

import io.github.lancesink.BatchResult;
import io.github.lancesink.LanceSink;
import io.github.lancesink.WriteMode;
import io.github.lancesink.policy.OptimizePolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.lance.Dataset;
import org.lance.WriteParams;

/**
 * Keyed-write cost: upserting 1% of a 100k-row and of a 1M-row table (128-d), a fixed 1k-row
 * upsert on both (isolates the table-size dependence), and a 1% change-feed batch against
 * rewriting the whole 1M-row table. Medians over reps. System properties:
 * bench.keyed.sizes (default 100000,1000000), .dim (128), .reps (5), .rewriteReps (3),
 * .upserts (true). Change-feed batches: 1% mixed, deletes only, updates only; on the smaller
 * tables also the largest table's 1% batch, for the size-scaling ratio.
 */
final class KeyedBench {
  private static final int CHUNK = 50_000;

  private KeyedBench() {}

  static void run() throws Exception {
    String[] sizes = System.getProperty("bench.keyed.sizes", "100000,1000000").split(",");
    int dim = Integer.getInteger("bench.keyed.dim", 128);
    int reps = Integer.getInteger("bench.keyed.reps", 5);
    int rewriteReps = Integer.getInteger("bench.keyed.rewriteReps", 3);
    Path work = Files.createTempDirectory("lance-sink-keyed-bench");
    Results results = new Results("Keyed writes on real Lance (" + dim + "-d, medians of " + reps
        + " reps; rewrite: " + rewriteReps + " reps)",
        "table rows", "operation", "batch rows", "median ms", "min ms", "max ms", "ms per 1k rows");
    java.util.TreeMap<Integer, Double> cdcMedians = new java.util.TreeMap<>();
    int fixedKeys = java.util.Arrays.stream(sizes).mapToInt(x -> Integer.parseInt(x.trim()))
        .max().orElseThrow() / 100;
    boolean upserts = Boolean.parseBoolean(System.getProperty("bench.keyed.upserts", "true"));
    try (BufferAllocator alloc = new RootAllocator()) {
      for (String s : sizes) {
        int n = Integer.parseInt(s.trim());
        String uri = work.resolve("t" + n + ".lance").toString();
        long t0 = System.nanoTime();
        createTable(alloc, uri, n, dim);
        System.out.printf("created %d rows in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
        SplittableRandom rnd = new SplittableRandom(n);
        if (upserts) {
          try (LanceSink upsert = sink(uri, WriteMode.upsert("id"), dim)) {
            long batchId = 0;
            // warm-up: builds the key index (not timed)
            time(upsert, batchId++, upsertBatch(alloc, rnd, n, 100, dim), alloc);
            int onePercent = n / 100;
            double[] pct = new double[reps];
            double[] fixed = new double[reps];
            for (int r = 0; r < reps; r++) {
              pct[r] = time(upsert, batchId++, upsertBatch(alloc, rnd, n, onePercent, dim), alloc);
              fixed[r] = time(upsert, batchId++, upsertBatch(alloc, rnd, n, 1_000, dim), alloc);
              System.out.printf("%d rows rep %d: 1%% upsert %.0f ms, 1k upsert %.0f ms%n", n, r,
                  pct[r], fixed[r]);
            }
            row(results, n, "upsert 1%", onePercent, pct);
            row(results, n, "upsert fixed 1k", 1_000, fixed);
          }
        }
        double[] cdc = new double[reps];
        double[] deletesOnly = new double[reps];
        double[] updatesOnly = new double[reps];
        try (LanceSink feed = sink(uri, WriteMode.cdc("id"), dim)) {
          long batchId = 0;
          time(feed, batchId++, cdcBatch(alloc, rnd, n, 100, dim, 80, 10), alloc);
          for (int r = 0; r < reps; r++) {
            cdc[r] = time(feed, batchId++, cdcBatch(alloc, rnd, n, n / 100, dim, 80, 10), alloc);
            deletesOnly[r] =
                time(feed, batchId++, cdcBatch(alloc, rnd, n, n / 100, dim, 0, 100), alloc);
            updatesOnly[r] =
                time(feed, batchId++, cdcBatch(alloc, rnd, n, n / 100, dim, 100, 0), alloc);
            System.out.printf("%d rows rep %d: 1%% cdc %.0f ms, deletes only %.0f ms, updates"
                + " only %.0f ms%n", n, r, cdc[r], deletesOnly[r], updatesOnly[r]);
          }
        }
        row(results, n, "cdc 1% (80% updates, 10% deletes, 10% inserts)", n / 100, cdc);
        row(results, n, "cdc 1%, deletes only", n / 100, deletesOnly);
        row(results, n, "cdc 1%, updates only (pre+post images)", n / 100, updatesOnly);
        if (n / 100 == fixedKeys) {
          cdcMedians.put(n, Results.median(cdc));
        } else {
          double[] fixed = new double[reps];
          try (LanceSink feed = sink(uri, WriteMode.cdc("id"), dim)) {
            long batchId = 1_000;
            for (int r = 0; r < reps; r++) {
              fixed[r] = time(feed, batchId++,
                  cdcBatch(alloc, rnd, n, Math.min(fixedKeys, n / 2), dim, 80, 10), alloc);
            }
          }
          row(results, n, "cdc, the largest table's 1% batch", fixedKeys, fixed);
          cdcMedians.put(n, Results.median(fixed));
        }
        if (n >= 1_000_000 || sizes.length == 1) {
          double[] rewrite = new double[rewriteReps];
          for (int r = 0; r < rewriteReps; r++) {
            String other = work.resolve("rewrite" + n + ".lance").toString();
            long start = System.nanoTime();
            writeAll(alloc, other, n, dim, WriteParams.WriteMode.CREATE);
            rewrite[r] = (System.nanoTime() - start) / 1e6;
            AppendBench.deleteTree(Path.of(other));
            System.out.printf("%d rows rep %d: full rewrite %.0f ms%n", n, r, rewrite[r]);
          }
          row(results, n, "full rewrite: write n fresh rows (no read)", n, rewrite);
          double[] copy = new double[rewriteReps];
          for (int r = 0; r < rewriteReps; r++) {
            String other = work.resolve("copy" + n + ".lance").toString();
            long start = System.nanoTime();
            try (Dataset src = Dataset.open().allocator(alloc).uri(uri).build();
                org.lance.ipc.LanceScanner scan =
                    src.newScan(new org.lance.ipc.ScanOptions.Builder().build())) {
              // the writer consumes and releases the scan's reader
              Dataset.write().allocator(alloc).reader(scan.scanBatches()).uri(other)
                  .mode(WriteParams.WriteMode.CREATE).execute().close();
              copy[r] = (System.nanoTime() - start) / 1e6;
            }
            AppendBench.deleteTree(Path.of(other));
            System.out.printf("%d rows rep %d: read + rewrite %.0f ms%n", n, r, copy[r]);
          }
          row(results, n, "full rewrite: read the current table and write it anew", n, copy);
          results.note(String.format("At %d rows a 1%% CDC batch is %.1fx faster than writing"
              + " the table fresh and %.1fx faster than reading and rewriting it (target >= 10x).",
              n, Results.median(rewrite) / Results.median(cdc),
              Results.median(copy) / Results.median(cdc)));
        }
        AppendBench.deleteTree(Path.of(uri));
      }
      if (cdcMedians.size() >= 2) {
        int small = cdcMedians.firstKey();
        int large = cdcMedians.lastKey();
        results.note(String.format("The same-size change batch costs %.2fx on the %dx larger"
            + " table (%d vs %d rows; target <= 1.3x at 10x).",
            cdcMedians.get(large) / cdcMedians.get(small), large / small, large, small));
      }
    } finally {
      AppendBench.deleteTree(work);
    }
    results.note("Route (a): key lookup through the BTREE index, deletion vectors via"
        + " Fragment.deleteRows, one Update commit carrying data and marker.");
    results.note("Timed: the whole LanceSink.write (ledger check, two-pass staging with the"
        + " local spill, lookup, deletion vectors, commit, index upkeep). Batch generation is"
        + " not timed.");
    results.write("keyed");
  }

  private static void row(Results results, int n, String op, int batch, double[] ms) {
    results.row(n, op, batch, Results.median(ms), AppendBench.min(ms), AppendBench.max(ms),
        Results.median(ms) / (batch / 1000.0));
  }

  private static LanceSink sink(String uri, WriteMode mode, int dim) {
    return LanceSink.builder().tableUri(uri).writerId("bench-" + mode.kind())
        .writeMode(mode).vectorColumn("vector", dim).optimizePolicy(OptimizePolicy.never())
        .build();
  }

  private static double time(LanceSink sink, long batchId, VectorSchemaRoot batch,
      BufferAllocator alloc) throws Exception {
    try (batch; ArrowReader reader = BenchData.readerOf(batch, alloc)) {
      long start = System.nanoTime();
      BatchResult r = sink.write(batchId, reader);
      double ms = (System.nanoTime() - start) / 1e6;
      if (!r.committed()) {
        throw new IllegalStateException("batch not committed: " + r);
      }
      return ms;
    }
  }

  /** {@code rows} distinct random existing ids with new vectors. */
  private static VectorSchemaRoot upsertBatch(
      BufferAllocator alloc, SplittableRandom rnd, int n, int rows, int dim) {
    VectorSchemaRoot root = BenchData.batch(alloc, 0, rows, dim, rnd.nextLong());
    BigIntVector id = (BigIntVector) root.getVector("id");
    long[] ids = rnd.longs(0, n).distinct().limit(rows).toArray();
    for (int i = 0; i < rows; i++) {
      id.set(i, ids[i]);
    }
    return root;
  }

  /** A change feed touching {@code keys} keys: pre+post images, deletes and new inserts. */
  private static VectorSchemaRoot cdcBatch(BufferAllocator alloc, SplittableRandom rnd, int n,
      int keys, int dim, int updatePercent, int deletePercent) {
    int updates = keys * updatePercent / 100;
    int deletes = keys * deletePercent / 100;
    int inserts = keys - updates - deletes;
    int rows = 2 * updates + deletes + inserts;
    VectorSchemaRoot base = BenchData.batch(alloc, 0, rows, dim, rnd.nextLong());
    List<Field> fields = new ArrayList<>(base.getSchema().getFields());
    fields.add(Field.notNullable("_change_type", ArrowType.Utf8.INSTANCE));
    fields.add(Field.notNullable("_commit_version", new ArrowType.Int(64, true)));
    VectorSchemaRoot root = VectorSchemaRoot.create(new Schema(fields), alloc);
    root.allocateNew();
    for (String c : List.of("id", "text", "vector")) {
      base.getVector(c).makeTransferPair(root.getVector(c)).transfer();
    }
    base.close();
    BigIntVector id = (BigIntVector) root.getVector("id");
    VarCharVector type = (VarCharVector) root.getVector("_change_type");
    BigIntVector version = (BigIntVector) root.getVector("_commit_version");
    long[] existing = rnd.longs(0, n).distinct().limit(updates + deletes).toArray();
    int r = 0;
    for (int i = 0; i < updates; i++) {
      r = change(id, type, version, r, existing[i], "update_preimage");
      r = change(id, type, version, r, existing[i], "update_postimage");
    }
    for (int i = 0; i < deletes; i++) {
      r = change(id, type, version, r, existing[updates + i], "delete");
    }
    for (int i = 0; i < inserts; i++) {
      r = change(id, type, version, r, n + rnd.nextLong(1L << 40), "insert");
    }
    type.setValueCount(rows);
    version.setValueCount(rows);
    root.setRowCount(rows);
    return root;
  }

  private static int change(BigIntVector id, VarCharVector type, BigIntVector version, int r,
      long key, String change) {
    id.set(r, key);
    type.setSafe(r, change.getBytes(StandardCharsets.UTF_8));
    version.setSafe(r, 7);
    return r + 1;
  }

  private static void createTable(BufferAllocator alloc, String uri, int n, int dim)
      throws Exception {
    writeAll(alloc, uri, n, dim, WriteParams.WriteMode.CREATE);
  }

  /** Writes ids 0..n-1 as one dataset version (a full rewrite). */
  private static void writeAll(BufferAllocator alloc, String uri, int n, int dim,
      WriteParams.WriteMode mode) throws Exception {
    VectorSchemaRoot chunk = BenchData.batch(alloc, 0, Math.min(CHUNK, n), dim, 1);
    BigIntVector id = (BigIntVector) chunk.getVector("id");
    ArrowReader reader = new ArrowReader(alloc) {
      long next;

      @Override
      public boolean loadNextBatch() {
        if (next >= n) {
          return false;
        }
        int rows = (int) Math.min(CHUNK, n - next);
        for (int i = 0; i < rows; i++) {
          id.set(i, next + i);
        }
        chunk.setRowCount(rows);
        next += rows;
        return true;
      }

      @Override
      public VectorSchemaRoot getVectorSchemaRoot() {
        return chunk;
      }

      @Override
      public long bytesRead() {
        return 0;
      }

      @Override
      protected void closeReadSource() {}

      @Override
      protected Schema readSchema() {
        return chunk.getSchema();
      }
    };
    try (reader; chunk;
        Dataset ds = Dataset.write().allocator(alloc).reader(reader).uri(uri).mode(mode)
            .execute()) {
      // written
    }
  }
}
