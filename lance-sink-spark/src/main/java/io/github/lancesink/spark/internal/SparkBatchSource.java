package io.github.lancesink.spark.internal;

import io.github.lancesink.WriteMode;
import io.github.lancesink.internal.Errors;
import io.github.lancesink.spi.BatchSource;
import io.github.lancesink.spi.LanceTable;
import io.github.lancesink.spi.StagedFragments;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * One Spark micro-batch as a core {@link BatchSource}. {@link #stage} runs ONE Spark job in
 * which every task converts its partition to Arrow and writes uncommitted Lance fragments; only
 * the fragment metadata comes back to the driver, so driver memory does not grow with the batch.
 * The core then commits all fragments, with the dedup marker, in one Lance commit.
 *
 * <p>The layout step ({@link RowLayout}) is mode-independent. Keyed modes (upsert, cdc,
 * replaceGroups) will reuse it: their per-key reduction (latest change per key) is a Spark
 * aggregation that runs before this job, and the core applies the keyed commit. Until the core
 * exposes the keyed staging API, those modes are rejected here, before anything is written,
 * rather than being committed as appends.
 */
public final class SparkBatchSource implements BatchSource {
  private final Dataset<Row> batch;
  private final String tableUri;
  private final Map<String, String> storageOptions;
  private final WriteMode mode;
  private final List<String> identityColumns;
  private final int batchRows;
  private final RowLayout layout;
  private long maxCommitMicros = Long.MIN_VALUE;

  public SparkBatchSource(Dataset<Row> batch, String tableUri, Map<String, String> storageOptions,
      WriteMode mode, String vectorColumn, int dimension, List<String> identityColumns,
      int batchRows) {
    this.batch = batch;
    this.tableUri = tableUri;
    this.storageOptions = storageOptions;
    this.mode = mode;
    this.identityColumns = identityColumns.isEmpty() ? mode.keys() : identityColumns;
    this.batchRows = batchRows;
    String tz = batch.sparkSession().conf().get("spark.sql.session.timeZone", "UTC");
    this.layout = RowLayout.plan(batch.schema(), vectorColumn, dimension, tz);
  }

  @Override
  public Schema schema() {
    return layout.outputSchema();
  }

  @Override
  public Staged stage(LanceTable table, long batchId) {
    if (mode.kind() != WriteMode.Kind.APPEND) {
      throw Errors.config("Write mode " + mode + " is not supported by lance-sink-spark in this"
          + " version; nothing was written. Use WriteMode.append() (on a change feed it accepts"
          + " only 'insert' rows).");
    }
    for (String c : identityColumns) {
      if (!layout.selectOrder().contains(c)) {
        throw Errors.config("Row identity column '" + c + "' is not a stored column of the batch"
            + " (columns: " + layout.selectOrder() + ")");
      }
    }
    Column[] cols = layout.selectOrder().stream().map(functions::col).toArray(Column[]::new);
    Dataset<Row> projected = batch.select(cols);
    var sc = batch.sparkSession().sparkContext();
    String previous = sc.getLocalProperty("spark.job.description");
    sc.setJobDescription("lance-sink: write fragments of batch " + batchId);
    List<PartitionResult> results;
    try {
      results = projected.queryExecution().toRdd().toJavaRDD()
          .mapPartitionsWithIndex(new PartitionWriter(tableUri, storageOptions, layout,
              identityColumns, batchRows, batchId), false)
          .collect();
    } finally {
      sc.setJobDescription(previous);
    }
    return aggregate(results, batchId);
  }

  private Staged aggregate(List<PartitionResult> results, long batchId) {
    Optional<PartitionResult> firstBad = results.stream().filter(PartitionResult::invalid)
        .min(Comparator.comparingInt(PartitionResult::partition));
    if (firstBad.isPresent()) {
      PartitionResult f = firstBad.get();
      long count = results.stream().filter(r -> f.violationColumn().equals(r.violationColumn()))
          .mapToLong(PartitionResult::violationCount).sum();
      throw Errors.badRows(f.violationColumn(), f.violationRule(), count, f.firstBadRow(),
          batchId);
    }
    List<StagedFragments> fragments = new ArrayList<>();
    long rows = 0;
    for (PartitionResult r : results) {
      if (r.fragments() != null && r.rows() > 0) {
        fragments.add(r.fragments());
        rows += r.rows();
      }
      maxCommitMicros = Math.max(maxCommitMicros, r.maxCommitMicros());
    }
    return new Staged(fragments, rows);
  }

  /** The newest change-feed commit timestamp seen by {@link #stage}, if the batch had one. */
  public Optional<Instant> maxCommitTimestamp() {
    if (maxCommitMicros == Long.MIN_VALUE) {
      return Optional.empty();
    }
    return Optional.of(Instant.EPOCH.plusNanos(Math.multiplyExact(maxCommitMicros, 1000L)));
  }
}
