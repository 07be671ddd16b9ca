package io.github.lancesink.spark.internal;

import io.github.lancesink.internal.RowChecks;
import io.github.lancesink.internal.ValidatingReader;
import java.util.Iterator;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * Benchmark diagnostic (in this package to reach the sink's package-private reader): runs the
 * Spark path's task-side conversion, cached rows to Arrow through {@link RowArrowReader} and the
 * core's vector checks, in one Spark job, and writes nothing. Not part of the product.
 */
public final class ConvertProbe {
  private ConvertProbe() {}

  /** Seconds for one job converting every row of {@code df}; checks the row count. */
  public static double convertOnly(Dataset<Row> df, String vectorColumn, int dim, long rows) {
    RowLayout layout = RowLayout.plan(df.schema(), vectorColumn, dim, "UTC");
    Dataset<Row> projected = df.select(layout.selectOrder().stream()
        .map(org.apache.spark.sql.functions::col).toArray(org.apache.spark.sql.Column[]::new));
    long t0 = System.nanoTime();
    List<Long> counts = projected.queryExecution().toRdd().toJavaRDD()
        .mapPartitionsWithIndex(new Convert(layout, vectorColumn), false).collect();
    double sec = (System.nanoTime() - t0) / 1e9;
    long total = counts.stream().mapToLong(Long::longValue).sum();
    if (total != rows) {
      throw new IllegalStateException("converted " + total + " rows, expected " + rows);
    }
    return sec;
  }

  private static final class Convert
      implements Function2<Integer, Iterator<InternalRow>, Iterator<Long>> {
    private static final long serialVersionUID = 1L;
    private final RowLayout layout;
    private final String vectorColumn;

    Convert(RowLayout layout, String vectorColumn) {
      this.layout = layout;
      this.vectorColumn = vectorColumn;
    }

    @Override
    public Iterator<Long> call(Integer partition, Iterator<InternalRow> rows) throws Exception {
      RowChecks checks = new RowChecks(vectorColumn, List.of());
      long n = 0;
      try (BufferAllocator alloc = new RootAllocator(Long.MAX_VALUE);
          RowArrowReader reader = new RowArrowReader(alloc, rows, layout, checks, 8_192);
          ValidatingReader validating = new ValidatingReader(reader, checks, 0L)) {
        while (validating.loadNextBatch()) {
          n += validating.getVectorSchemaRoot().getRowCount();
        }
      }
      return List.of(n).iterator();
    }
  }
}
