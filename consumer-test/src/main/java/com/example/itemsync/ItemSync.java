package com.example.itemsync;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.trim;

import io.github.lancesink.LanceSinkSettings;
import io.github.lancesink.WriteMode;
import io.github.lancesink.spark.LanceForeachBatch;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A consumer team's own foreachBatch function, as it would live in their job: it holds a
 * transformation (drop drafts and rows without a title, normalise the title) before handing the
 * batch to lance-sink. Production builds it with {@code ItemSync.create(tableUri)}; tests hand
 * {@link #create(LanceForeachBatch.Builder)} a builder wired to the in-memory fake. Both use
 * the same {@link #SETTINGS}.
 */
public final class ItemSync implements VoidFunction2<Dataset<Row>, Long>, AutoCloseable {
  private static final long serialVersionUID = 1L;

  private final LanceForeachBatch sink;

  private ItemSync(LanceForeachBatch sink) {
    this.sink = sink;
  }

  /** The job's sink settings, without the table (production adds its URI). */
  public static final LanceSinkSettings SETTINGS = LanceSinkSettings.builder()
      .writerId("item-sync")
      .writeMode(WriteMode.upsert("id"))
      .build();

  /** The production function, writing to the Lance dataset at {@code tableUri}. */
  public static ItemSync create(String tableUri) {
    return new ItemSync(LanceForeachBatch.builder()
        .settings(SETTINGS.toBuilder().tableUri(tableUri).build())
        .build());
  }

  /** The job's settings on top of a builder that already knows where the table is. */
  public static ItemSync create(LanceForeachBatch.Builder sink) {
    return new ItemSync(sink.settings(SETTINGS).build());
  }

  /** The transformation under test: drafts and blank titles dropped, titles normalised. */
  public static Dataset<Row> transform(Dataset<Row> items) {
    return items
        .filter(col("status").notEqual("draft"))
        .filter(col("title").isNotNull().and(trim(col("title")).notEqual("")))
        .withColumn("title", lower(regexp_replace(trim(col("title")), "\\s+", " ")))
        .select("id", "title", "status");
  }

  @Override
  public void call(Dataset<Row> batch, Long batchId) {
    sink.call(transform(batch), batchId);
  }

  @Override
  public void close() {
    sink.close();
  }
}
