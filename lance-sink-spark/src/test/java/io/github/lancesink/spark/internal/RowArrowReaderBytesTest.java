package io.github.lancesink.spark.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.lancesink.internal.RowChecks;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.execution.arrow.ArrowWriter;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;

class RowArrowReaderBytesTest {
  /**
   * Purpose: the Arrow bytes a batch reports are what Spark 4's {@code
   * ArrowWriter.sizeInBytes()} says for the same rows (the reader sums the vectors' buffer sizes
   * itself, because Spark 3.5's writer lacks that method). Steps: 3 batches of rows with a long,
   * a string (some null) and a double through RowArrowReader (batch size 100, 250 rows); the
   * same rows written by a fresh Spark ArrowWriter per batch. Pass: the reader's bytesRead()
   * equals the sum of the writer's sizeInBytes() over the batches, and is positive. Skipped on
   * Spark lines whose writer has no sizeInBytes() (3.5).
   */
  @Test
  void bytesReadEqualsSparkWritersSizeInBytes() throws Exception {
    Method sizeInBytes;
    try {
      sizeInBytes = ArrowWriter.class.getMethod("sizeInBytes");
    } catch (NoSuchMethodException e) {
      sizeInBytes = null;
    }
    assumeTrue(sizeInBytes != null, "this Spark's ArrowWriter has no sizeInBytes()");
    StructType schema = new StructType().add("id", DataTypes.LongType)
        .add("name", DataTypes.StringType).add("score", DataTypes.DoubleType);
    RowLayout layout = RowLayout.plan(schema, null, 0, "UTC");
    List<InternalRow> rows = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      UTF8String name = i % 7 == 0 ? null : UTF8String.fromString("name-" + "x".repeat(i % 13));
      rows.add(new GenericInternalRow(new Object[] {(long) i, name, i * 0.5}));
    }
    long expected = 0;
    try (BufferAllocator alloc = new RootAllocator()) {
      for (int from = 0; from < rows.size(); from += 100) {
        try (VectorSchemaRoot root =
            VectorSchemaRoot.create(layout.plainArrowSchema(), alloc)) {
          ArrowWriter w = ArrowWriter.create(root);
          for (InternalRow r : rows.subList(from, Math.min(from + 100, rows.size()))) {
            w.write(r);
          }
          w.finish();
          expected += ((Number) sizeInBytes.invoke(w)).longValue();
        }
      }
      try (RowArrowReader reader = new RowArrowReader(alloc, rows.iterator(), layout,
          new RowChecks(null, List.of()), 100)) {
        int batches = 0;
        while (reader.loadNextBatch()) {
          batches++;
        }
        assertThat(batches).isEqualTo(3);
        assertThat(reader.bytesRead()).isPositive().isEqualTo(expected);
      }
    }
  }
}
