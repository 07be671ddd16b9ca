package io.github.lancesink.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.spark.sql.Row;
import org.lance.CommitBuilder;
import org.lance.Dataset;
import org.lance.Fragment;
import org.lance.FragmentMetadata;
import org.lance.Transaction;
import org.lance.WriteParams;
import org.lance.operation.Append;

/**
 * The two baselines of {@link SparkThroughputBench}, both on lance-core directly: (A) the
 * same parallelism as Spark's 2 tasks, 2 threads writing fragments from pre-built Arrow batches
 * and one Append commit, and (B) the naive glue, rows collected to the driver, converted to
 * Arrow there and appended with {@code Dataset.write}.
 */
final class SparkBaselines {
  static final int BATCH_ROWS = 8_192; // the Spark path's default Arrow batch size

  private SparkBaselines() {}

  static Schema schema(int dim) {
    return new Schema(List.of(
        Field.nullable("id", new ArrowType.Int(64, true)),
        Field.nullable("name", ArrowType.Utf8.INSTANCE),
        new Field("vector", FieldType.nullable(new ArrowType.FixedSizeList(dim)),
            List.of(Field.nullable("item",
                new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE))))));
  }

  /** Creates an empty table (outside any timer) and returns its open handle. */
  static Dataset create(BufferAllocator alloc, String uri, int dim) {
    return Dataset.create(alloc, uri, schema(dim), new WriteParams.Builder().build());
  }

  /**
   * Pre-materialized input of baseline A: for each of {@code parts} contiguous row ranges (the
   * same split as Spark's {@code range(.., parts)}), Arrow record batches of {@link #BATCH_ROWS}
   * rows holding the same values as {@link SparkBenchSupport#rows}.
   */
  static final class Prebuilt implements AutoCloseable {
    final Schema schema;
    final List<List<ArrowRecordBatch>> parts = new ArrayList<>();

    Prebuilt(BufferAllocator alloc, long rows, int dim, int partCount) {
      schema = schema(dim);
      for (int p = 0; p < partCount; p++) {
        long from = rows * p / partCount;
        long to = rows * (p + 1) / partCount;
        List<ArrowRecordBatch> batches = new ArrayList<>();
        for (long start = from; start < to; start += BATCH_ROWS) {
          int n = (int) Math.min(BATCH_ROWS, to - start);
          try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, alloc)) {
            fill(root, start, n, dim);
            batches.add(new VectorUnloader(root).getRecordBatch()); // retains the buffers
          }
        }
        parts.add(batches);
      }
    }

    @Override
    public void close() {
      parts.forEach(batches -> batches.forEach(ArrowRecordBatch::close));
    }
  }

  static void fill(VectorSchemaRoot root, long start, int n, int dim) {
    root.allocateNew();
    BigIntVector id = (BigIntVector) root.getVector("id");
    VarCharVector name = (VarCharVector) root.getVector("name");
    FixedSizeListVector vec = (FixedSizeListVector) root.getVector("vector");
    Float4Vector data = (Float4Vector) vec.getDataVector();
    for (int r = 0; r < n; r++) {
      long i = start + r;
      id.setSafe(r, i);
      name.setSafe(r, ("item-" + i).getBytes(StandardCharsets.UTF_8));
      int base = vec.startNewValue(r);
      for (int j = 0; j < dim; j++) {
        data.setSafe(base + j, (float) (i * 0.5 + j));
      }
    }
    data.setValueCount(n * dim);
    root.setRowCount(n);
  }

  /**
   * Baseline A: one thread per part writes its batches as fragments through a C stream (the
   * call the Spark tasks make), then one Append commit on this thread against the handle
   * {@code table[0]}, which is replaced by the committed one (kept open between reps, as the
   * sink keeps its handle). Returns seconds.
   */
  static double parallelAppend(BufferAllocator alloc, String uri, Dataset[] table,
      Prebuilt input, ExecutorService pool) throws Exception {
    long t0 = System.nanoTime();
    List<Future<List<FragmentMetadata>>> futures = new ArrayList<>();
    for (List<ArrowRecordBatch> batches : input.parts) {
      futures.add(pool.submit(() -> {
        try (BufferAllocator child = alloc.newChildAllocator("raw-task", 0, Long.MAX_VALUE);
            Replay reader = new Replay(child, input.schema, batches);
            ArrowArrayStream stream = ArrowArrayStream.allocateNew(child)) {
          Data.exportArrayStream(child, reader, stream);
          return Fragment.write().datasetUri(uri).data(stream).execute();
        }
      }));
    }
    List<FragmentMetadata> fragments = new ArrayList<>();
    for (Future<List<FragmentMetadata>> f : futures) {
      fragments.addAll(f.get());
    }
    try (Transaction txn = new Transaction.Builder()
        .readVersion(table[0].version())
        .operation(Append.builder().fragments(fragments).build())
        .build()) {
      Dataset committed = new CommitBuilder(table[0]).execute(txn);
      table[0].close();
      table[0] = committed;
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  /**
   * Baseline B: {@code collectAsList} on the driver, rows converted to Arrow batches there, one
   * {@code Dataset.write} in APPEND mode. Returns seconds.
   */
  static double collectAndWrite(BufferAllocator alloc, String uri,
      org.apache.spark.sql.Dataset<Row> df, int dim) throws Exception {
    long t0 = System.nanoTime();
    List<Row> rows = df.collectAsList();
    Schema schema = schema(dim);
    List<ArrowRecordBatch> batches = new ArrayList<>();
    try (BufferAllocator child = alloc.newChildAllocator("glue", 0, Long.MAX_VALUE)) {
      try {
        for (int start = 0; start < rows.size(); start += BATCH_ROWS) {
          int n = Math.min(BATCH_ROWS, rows.size() - start);
          try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, child)) {
            fromRows(root, rows.subList(start, start + n), dim);
            batches.add(new VectorUnloader(root).getRecordBatch());
          }
        }
        rows = null; // what a careful glue does before the write
        try (Replay reader = new Replay(child, schema, batches)) {
          Dataset.write().allocator(child).reader(reader).uri(uri)
              .mode(WriteParams.WriteMode.APPEND).execute().close();
        }
      } finally {
        batches.forEach(ArrowRecordBatch::close);
      }
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  private static void fromRows(VectorSchemaRoot root, List<Row> rows, int dim) {
    root.allocateNew();
    BigIntVector id = (BigIntVector) root.getVector("id");
    VarCharVector name = (VarCharVector) root.getVector("name");
    FixedSizeListVector vec = (FixedSizeListVector) root.getVector("vector");
    Float4Vector data = (Float4Vector) vec.getDataVector();
    for (int r = 0; r < rows.size(); r++) {
      Row row = rows.get(r);
      id.setSafe(r, row.getLong(0));
      name.setSafe(r, row.getString(1).getBytes(StandardCharsets.UTF_8));
      List<Float> v = row.getList(2);
      if (v.size() != dim) {
        throw new IllegalStateException("row " + r + ": vector of " + v.size() + ", not " + dim);
      }
      int base = vec.startNewValue(r);
      for (int j = 0; j < dim; j++) {
        data.setSafe(base + j, v.get(j));
      }
    }
    data.setValueCount(rows.size() * dim);
    root.setRowCount(rows.size());
  }

  /** Serves pre-built record batches without copying (the loader retains their buffers). */
  static final class Replay extends ArrowReader {
    private final Schema schema;
    private final List<ArrowRecordBatch> batches;
    private int next;

    Replay(BufferAllocator alloc, Schema schema, List<ArrowRecordBatch> batches) {
      super(alloc);
      this.schema = schema;
      this.batches = batches;
    }

    @Override
    public boolean loadNextBatch() throws java.io.IOException {
      if (next >= batches.size()) {
        return false;
      }
      new VectorLoader(getVectorSchemaRoot()).load(batches.get(next++));
      return true;
    }

    @Override
    public long bytesRead() {
      return 0;
    }

    @Override
    protected void closeReadSource() {}

    @Override
    protected Schema readSchema() {
      return schema;
    }
  }
}
