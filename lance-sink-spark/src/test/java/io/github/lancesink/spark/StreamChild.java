package io.github.lancesink.spark;

import io.github.lancesink.LanceSinkSettings;
import io.github.lancesink.WriteMode;
import io.github.lancesink.policy.OptimizePolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;

/**
 * The stream the crash tests run in a child JVM: a Delta table (one commit per batch) through
 * {@link LanceForeachBatch} into Lance, with Trigger.AvailableNow. The last argument names a
 * point where the child writes a marker file and freezes, so the parent can {@code kill -9} it
 * exactly there:
 *
 * <ul>
 *   <li>{@code before:N} in foreachBatch of batch N, before the sink runs;
 *   <li>{@code mid:N} on an executor, while batch N's rows are converted and written (other
 *       tasks of the batch may already have written fragments);
 *   <li>{@code after:N} after batch N's Lance commit, before Spark records the batch as done;
 *   <li>{@code none} runs to the end.
 * </ul>
 *
 * Args: deltaPath lanceUri checkpointPath markerFile point [cdc]. With {@code cdc} the child
 * streams Delta's change feed (one Delta file per batch) in {@code WriteMode.cdc("id")}.
 * Whatever the point, the child writes {@code markerFile + ".batch-N"} when foreachBatch of
 * batch N starts, so a parent can kill it at a moment of its choosing.
 */
public final class StreamChild {
  private StreamChild() {}

  public static void main(String[] args) throws Exception {
    String delta = args[0];
    String lance = args[1];
    String ckpt = args[2];
    String marker = args[3];
    String[] point = args[4].split(":");
    String phase = point[0];
    long at = point.length > 1 ? Long.parseLong(point[1]) : -1;
    boolean cdc = args.length > 5 && args[5].equals("cdc");

    // one partition per Delta file, so a batch of two files runs as two concurrent tasks and a
    // task frozen mid-write leaves its sibling's fragment written but uncommitted
    SparkSession spark = TestSpark.builder()
        .config("spark.sql.files.openCostInBytes", String.valueOf(128L << 20))
        .getOrCreate();
    LanceSinkSettings settings = LanceSinkSettings.builder()
        .tableUri(lance)
        .writerId("crash-sync")
        .vectorColumn("vector", 8)
        .optimizePolicy(OptimizePolicy.never())
        .build();
    LanceForeachBatch.Builder b = LanceForeachBatch.builder().settings(settings);
    LanceForeachBatch fn = (cdc ? b.settings(settings.toBuilder().writeMode(WriteMode.cdc("id"))
        .build()) : b.rowIdentity("id")).build();
    UserDefinedFunction freezeOnce = functions.udf((UDF1<Long, Boolean>) id -> {
      Path m = Path.of(marker);
      if (id % 200 == 150) { // deep inside one task; the batch's other task runs on
        freeze(m);
      }
      return true;
    }, DataTypes.BooleanType).asNondeterministic();

    Dataset<Row> stream = cdc
        ? spark.readStream().format("delta").option("readChangeFeed", "true")
            .option("startingVersion", "0").option("maxFilesPerTrigger", "1").load(delta)
        : spark.readStream().format("delta").option("maxFilesPerTrigger", "2").load(delta);
    spark.conf().set("spark.sql.streaming.forceDeleteTempCheckpointLocation", "true");
    stream.writeStream().option("checkpointLocation", ckpt).trigger(Trigger.AvailableNow())
        .foreachBatch((Dataset<Row> df, Long id) -> {
          Files.writeString(Path.of(marker + ".batch-" + id), "started");
          if (id == at && phase.equals("before")) {
            freeze(Path.of(marker));
          }
          Dataset<Row> input = id == at && phase.equals("mid")
              ? df.where(freezeOnce.apply(functions.col("id"))) : df;
          fn.call(input, id);
          if (id == at && phase.equals("after")) {
            freeze(Path.of(marker));
          }
        })
        .start()
        .awaitTermination();
    fn.close();
    spark.stop();
    System.exit(0);
  }

  private static void freeze(Path marker) {
    try {
      Files.writeString(marker, "frozen");
      Thread.sleep(Long.MAX_VALUE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
