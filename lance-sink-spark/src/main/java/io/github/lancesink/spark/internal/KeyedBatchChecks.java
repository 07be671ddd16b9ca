package io.github.lancesink.spark.internal;

import io.github.lancesink.WriteMode;
import io.github.lancesink.internal.Errors;
import io.github.lancesink.internal.KeyValues;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * The core's keyed-batch checks for upsert and replaceGroups, run on the cluster before anything
 * is written: a null key (or group) column, a null sequence value and, for an upsert without a
 * sequence column, duplicate keys. Only aggregates come back to the driver (one row per check),
 * never rows. The messages match the core's {@code KeyedCollapse}: the column, the rule, the
 * number of offending rows and the first offender. The "first" offender is deterministic: for
 * nulls the lowest Spark partition holding one, for duplicates the smallest duplicated key.
 */
final class KeyedBatchChecks {
  private static final String N = "__lance_sink_n";
  private static final String PART = "__lance_sink_part";

  private KeyedBatchChecks() {}

  /** Throws the batch's rejection, if any; null checks come before the duplicate check. */
  static void check(Dataset<Row> batch, WriteMode mode, long batchId) {
    List<String> keys = mode.keys();
    String role = mode.kind() == WriteMode.Kind.REPLACE_GROUPS ? "group" : "key";
    // like the core, a row is counted once, under its first null key column
    List<String> columns = new ArrayList<>();
    List<String> rules = new ArrayList<>();
    List<Column> conditions = new ArrayList<>();
    Column earlierNotNull = functions.lit(true);
    for (String k : keys) {
      columns.add(k);
      rules.add("is a " + role + " column and must not be null");
      conditions.add(earlierNotNull.and(functions.col(k).isNull()));
      earlierNotNull = earlierNotNull.and(functions.col(k).isNotNull());
    }
    if (mode.sequenceColumn().isPresent()) {
      String s = mode.sequenceColumn().get();
      columns.add(s);
      rules.add("orders changes of one key and must not be null");
      conditions.add(earlierNotNull.and(functions.col(s).isNull()));
    }
    List<Column> aggs = new ArrayList<>();
    for (Column c : conditions) {
      aggs.add(functions.sum(functions.when(c, 1L).otherwise(0L)));
      aggs.add(functions.min(functions.when(c, functions.col(PART))));
    }
    Row r = batch.withColumn(PART, functions.spark_partition_id())
        .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new)).first();
    int worst = -1;
    for (int i = 0; i < columns.size(); i++) {
      if (!r.isNullAt(2 * i) && r.getLong(2 * i) > 0
          && (worst < 0 || r.getInt(2 * i + 1) < r.getInt(2 * worst + 1))) {
        worst = i;
      }
    }
    if (worst >= 0) {
      throw Errors.badRows(columns.get(worst), rules.get(worst), r.getLong(2 * worst),
          "in Spark partition " + r.getInt(2 * worst + 1), batchId);
    }
    if (mode.kind() == WriteMode.Kind.UPSERT && mode.sequenceColumn().isEmpty()) {
      rejectDuplicates(batch, keys, batchId);
    }
  }

  private static void rejectDuplicates(Dataset<Row> batch, List<String> keys, long batchId) {
    Column[] keyCols = keys.stream().map(functions::col).toArray(Column[]::new);
    Row d = batch.groupBy(keyCols).agg(functions.count(functions.lit(1)).as(N))
        .where(functions.col(N).gt(1))
        .agg(functions.sum(functions.col(N).minus(1)), functions.min(functions.struct(keyCols)))
        .first();
    if (d.isNullAt(0)) {
      return;
    }
    Row first = d.getStruct(1);
    List<Object> key = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      Object v = first.get(i);
      key.add(v instanceof Number n ? (Object) n.longValue() : v);
    }
    throw Errors.badRows(String.join(", ", keys), "holds duplicate keys"
        + " (declare an ordering with WriteMode.upsert(...).withSequenceColumn(column) to keep"
        + " the latest row)", d.getLong(0), KeyValues.describe(keys, key), batchId);
  }
}
