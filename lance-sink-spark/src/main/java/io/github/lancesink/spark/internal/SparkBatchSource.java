package io.github.lancesink.spark.internal;

import io.github.lancesink.LanceSinkSettings;
import io.github.lancesink.WriteMode;
import io.github.lancesink.internal.Errors;
import io.github.lancesink.spark.TableFactory;
import io.github.lancesink.spi.BatchSource;
import io.github.lancesink.spi.KeyedChange;
import io.github.lancesink.spi.LanceTable;
import io.github.lancesink.spi.StagedFragments;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.ArrowUtils;

/**
 * One Spark micro-batch as a core {@link BatchSource}. {@link #stage} runs ONE Spark job in
 * which every task converts its partition to Arrow and writes uncommitted Lance fragments; only
 * the fragment metadata comes back to the driver, so driver memory does not grow with the batch.
 * The core then commits all fragments, with the dedup marker, in one Lance commit.
 *
 * <p>The keyed modes share one path. The batch is first reduced on the cluster where the mode
 * collapses rows: CDC keeps the latest change per key ({@link ChangeFeedCollapse#latestPerKey}),
 * an upsert with a sequence column keeps the row with the largest sequence value per key (ties:
 * the row later in the DataFrame's order, {@link ChangeFeedCollapse#largestSequence}). Upsert and
 * replaceGroups batches are checked on the cluster first ({@link KeyedBatchChecks}: null keys or
 * groups, null sequence values, duplicate upsert keys without a sequence column), so a bad batch
 * is rejected before anything is written. Executors store the surviving rows and return the
 * distinct keys (or group values) they saw; the driver hands the core ONE {@link KeyedChange}
 * and the core's keyed commit removes the stored rows of those keys (every stored row of a
 * replaced group) and adds the new fragments in the same commit. Driver memory is bounded by
 * the number of distinct keys or groups in the batch, never by rows.
 */
public final class SparkBatchSource implements BatchSource {
  private final Dataset<Row> batch;
  private final TableFactory tables;
  private final WriteMode mode;
  private final List<String> identityColumns;
  private final int batchRows;
  private final RowLayout layout;
  private final Dataset<Row> input;
  private final StructType batchSchema;
  private long maxCommitMicros = Long.MIN_VALUE;

  /**
   * A source whose executors open their table handles through {@code tables} and write with
   * the mode and vector column of {@code settings}.
   */
  public SparkBatchSource(Dataset<Row> batch, TableFactory tables, LanceSinkSettings settings,
      List<String> identityColumns, int batchRows) {
    this.batch = batch;
    this.tables = tables;
    this.mode = settings.writeMode();
    String vectorColumn = settings.vectorColumn().orElse(null);
    int dimension = settings.vectorDimension();
    this.identityColumns = identityColumns.isEmpty() ? mode.keys() : identityColumns;
    this.batchRows = batchRows;
    String tz = batch.sparkSession().conf().get("spark.sql.session.timeZone", "UTC");
    this.input = switch (mode.kind()) {
      case CDC -> ChangeFeedCollapse.latestPerKey(batch, mode.keys());
      case UPSERT -> mode.sequenceColumn()
          .map(s -> ChangeFeedCollapse.largestSequence(batch, mode.keys(), s)).orElse(batch);
      default -> batch;
    };
    RowLayout plan = RowLayout.plan(input.schema(), vectorColumn, dimension, tz);
    boolean keyed = mode.kind() == WriteMode.Kind.CDC ? plan.hasChangeType()
        : mode.kind() != WriteMode.Kind.APPEND;
    this.layout = !keyed ? plan : mode.kind() == WriteMode.Kind.CDC
        ? plan.forChangeFeed(mode.keys()) : plan.forKeys(mode.keys());
    this.batchSchema = batch.schema();
  }

  /**
   * The stored schema; in CDC mode plus the change-feed columns, which the core checks and
   * strips.
   */
  @Override
  public Schema schema() {
    Schema out = layout.outputSchema();
    if (mode.kind() != WriteMode.Kind.CDC) {
      return out;
    }
    List<Field> fields = new ArrayList<>(out.getFields());
    for (String c : List.of(RowLayout.CHANGE_TYPE, RowLayout.COMMIT_VERSION)) {
      if (batchSchema.getFieldIndex(c).isDefined()) {
        StructType one = new StructType().add(batchSchema.apply(c));
        fields.add(ArrowUtils.toArrowSchema(one, "UTC", true, false).getFields().get(0));
      }
    }
    return new Schema(fields);
  }

  @Override
  public Staged stage(LanceTable table, long batchId) {
    for (String c : identityColumns) {
      if (!layout.selectOrder().contains(c)) {
        throw Errors.config("Row identity column '" + c + "' is not a stored column of the batch"
            + " (columns: " + layout.selectOrder() + ")");
      }
    }
    if (mode.kind() == WriteMode.Kind.UPSERT || mode.kind() == WriteMode.Kind.REPLACE_GROUPS) {
      KeyedBatchChecks.check(batch, mode, batchId);
    }
    Column[] cols = layout.selectOrder().stream().map(functions::col).toArray(Column[]::new);
    Dataset<Row> projected = input.select(cols);
    var sc = batch.sparkSession().sparkContext();
    String previous = sc.getLocalProperty("spark.job.description");
    sc.setJobDescription("lance-sink: write fragments of batch " + batchId);
    List<PartitionResult> results;
    try {
      results = projected.queryExecution().toRdd().toJavaRDD()
          .mapPartitionsWithIndex(new PartitionWriter(tables, layout, identityColumns,
              batchRows, batchId), false)
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
    Set<List<Object>> replaced = new HashSet<>();
    Set<List<Object>> deleted = new HashSet<>();
    for (PartitionResult r : results) {
      if (r.fragments() != null && r.rows() > 0) {
        fragments.add(r.fragments());
        rows += r.rows();
      }
      rows += r.deletes();
      replaced.addAll(r.replacedKeys());
      deleted.addAll(r.deletedKeys());
      maxCommitMicros = Math.max(maxCommitMicros, r.maxCommitMicros());
    }
    if (!layout.keyed()) {
      return new Staged(fragments, rows);
    }
    // CDC: the collapse left one change per key, so a key is either replaced or deleted;
    // upsert and replaceGroups replace every key (group) of the batch and delete none
    return new Staged(fragments, rows,
        Optional.of(new KeyedChange(mode.keys(), replaced, deleted)));
  }

  /** The newest change-feed commit timestamp seen by {@link #stage}, if the batch had one. */
  public Optional<Instant> maxCommitTimestamp() {
    if (maxCommitMicros == Long.MIN_VALUE) {
      return Optional.empty();
    }
    return Optional.of(Instant.EPOCH.plusNanos(Math.multiplyExact(maxCommitMicros, 1000L)));
  }
}
