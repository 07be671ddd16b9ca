package io.github.lancesink.spark.internal;

import io.github.lancesink.internal.ChangeFeed;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.functions;

/**
 * Reduces a keyed batch to the latest row per key, distributed. For a change feed ({@link
 * #latestPerKey}) update pre-images are
 * dropped, and per key the row with the highest {@code _commit_version} wins (within one
 * version an insert or post-image wins over a delete: {@link ChangeFeed#precedence}, the rule
 * the core applies too). One shuffle by key; the result keeps
 * the input's number of partitions, so a batch writes about as many fragments as it has input
 * partitions. For an upsert with a sequence column ({@link #largestSequence}) the row with the
 * largest sequence value wins; on a tie the row later in the DataFrame's order (Spark partition
 * index, then position in the partition) wins, as the core keeps the later row.
 */
final class ChangeFeedCollapse {
  private static final String RANK = "__lance_sink_rank";
  private static final String POS = "__lance_sink_pos";

  private ChangeFeedCollapse() {}

  static Dataset<Row> latestPerKey(Dataset<Row> batch, List<String> keys) {
    List<String> names = List.of(batch.schema().fieldNames());
    if (!names.contains(RowLayout.CHANGE_TYPE)) {
      return batch; // the core rejects it with its own message
    }
    Column change = functions.col(RowLayout.CHANGE_TYPE);
    Column changeRank = precedence(change);
    Column[] partition = keys.stream().map(functions::col).toArray(Column[]::new);
    WindowSpec w = names.contains(RowLayout.COMMIT_VERSION)
        ? Window.partitionBy(partition).orderBy(functions.col(RowLayout.COMMIT_VERSION).desc(),
            changeRank.desc())
        : Window.partitionBy(partition).orderBy(changeRank.desc());
    return winners(batch.where(change.isNull().or(change.notEqual("update_preimage"))), w,
        batch);
  }

  /** {@link ChangeFeed#precedence} as a Spark column: the core's rule, evaluated per row. */
  static Column precedence(Column change) {
    Column rank = null;
    for (String wire : ChangeFeed.WIRE_VALUES) {
      int p = ChangeFeed.precedence(wire);
      rank = rank == null ? functions.when(change.equalTo(wire), p)
          : rank.when(change.equalTo(wire), p);
    }
    return rank.otherwise(ChangeFeed.precedence(null));
  }

  static Dataset<Row> largestSequence(Dataset<Row> batch, List<String> keys, String sequence) {
    if (!List.of(batch.schema().fieldNames()).contains(sequence)) {
      return batch; // the core's schema check rejects it with its own message
    }
    Column[] partition = keys.stream().map(functions::col).toArray(Column[]::new);
    // monotonically_increasing_id is (partition index << 33) + position: the DataFrame's order
    WindowSpec w = Window.partitionBy(partition).orderBy(functions.col(sequence).desc(),
        functions.col(POS).desc());
    return winners(batch.withColumn(POS, functions.monotonically_increasing_id()), w, batch)
        .drop(POS);
  }

  private static Dataset<Row> winners(Dataset<Row> rows, WindowSpec w, Dataset<Row> batch) {
    // Streaming micro-batches run without adaptive execution, so the shuffle would leave
    // spark.sql.shuffle.partitions tasks (200 by default), each writing a small fragment. Keep
    // the input's parallelism instead.
    int parts = Math.max(1, batch.queryExecution().toRdd().getNumPartitions());
    return rows.withColumn(RANK, functions.row_number().over(w))
        .where(functions.col(RANK).equalTo(1))
        .drop(RANK)
        .coalesce(parts);
  }
}
