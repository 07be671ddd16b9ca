package io.github.lancesink.examples.deltacdf;

import io.github.lancesink.examples.deltacdf.DocumentGenerator.Change;
import io.github.lancesink.examples.deltacdf.DocumentGenerator.Listing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The source: a Delta table of shop listings with the change data feed on. In your pipeline this
 * is the Gold table your upstream jobs maintain. It holds text only: the stream embeds the
 * changed rows on their way to Lance ({@link EmbedChangedRows}).
 */
final class DeltaDocs {
  static final StructType SCHEMA = new StructType()
      .add("id", DataTypes.LongType, false)
      .add("rev", DataTypes.IntegerType, false)
      .add("text", DataTypes.StringType, false);

  private final SparkSession spark;
  private final String path;

  DeltaDocs(SparkSession spark, Path path) {
    this.spark = spark;
    this.path = path.toString();
  }

  boolean exists() {
    return Files.isDirectory(Path.of(path, "_delta_log"));
  }

  /** Creates the table with the change data feed enabled: the one property the sink needs. */
  void create() {
    spark.sql("CREATE TABLE IF NOT EXISTS delta.`" + path + "` (id BIGINT NOT NULL,"
        + " rev INT NOT NULL, text STRING NOT NULL) USING delta"
        + " TBLPROPERTIES (delta.enableChangeDataFeed = true)");
  }

  long latestVersion() {
    return spark.sql("DESCRIBE HISTORY delta.`" + path + "` LIMIT 1").first().getAs("version");
  }

  /**
   * Applies one round of changes as ONE Delta commit (a MERGE), so the change feed carries
   * insert, update_preimage/update_postimage and delete rows for it.
   */
  void apply(List<Change> changes) {
    List<Row> rows = new ArrayList<>(changes.size());
    for (Change c : changes) {
      Listing l = c.listing();
      rows.add(RowFactory.create(l.id(), l.rev(), l.text(), c.op().name().toLowerCase()));
    }
    StructType schema = SCHEMA.add("op", DataTypes.StringType, false);
    spark.createDataFrame(rows, schema).createOrReplaceTempView("changes");
    spark.sql("MERGE INTO delta.`" + path + "` t USING changes c ON t.id = c.id"
        + " WHEN MATCHED AND c.op = 'delete' THEN DELETE"
        + " WHEN MATCHED AND c.op = 'update' THEN UPDATE SET t.rev = c.rev, t.text = c.text"
        + " WHEN NOT MATCHED AND c.op = 'insert' THEN"
        + "   INSERT (id, rev, text) VALUES (c.id, c.rev, c.text)");
  }

  /**
   * The change data feed from the first version. Rows carry the table's columns plus {@code
   * _change_type}, {@code _commit_version} and {@code _commit_timestamp}, which the sink's CDC
   * mode consumes (they are not stored in Lance).
   */
  Dataset<Row> changeFeed() {
    return spark.readStream().format("delta")
        .option("readChangeFeed", "true")
        .option("startingVersion", "0")
        .load(path);
  }

  /** The table's latest state. */
  Dataset<Row> snapshot() {
    return spark.read().format("delta").load(path);
  }

  /** Every live listing, by key: what the generator needs. */
  Map<Long, Listing> live() {
    Map<Long, Listing> out = new TreeMap<>();
    for (Row r : snapshot().collectAsList()) {
      out.put(r.getLong(0), new Listing(r.getLong(0), r.getInt(1), r.getString(2)));
    }
    return out;
  }

  /**
   * The table's latest state with every row embedded by {@code embedder}, on the executors:
   * what Lance must hold.
   */
  Map<Long, Doc> embeddedState(TextEmbedder embedder, EmbeddingMeter meter) {
    Map<Long, Doc> out = new TreeMap<>();
    for (Row r : EmbedChangedRows.apply(snapshot(), "text", embedder, meter).collectAsList()) {
      List<Float> v = r.getList(3);
      float[] f = new float[v.size()];
      for (int i = 0; i < f.length; i++) {
        f[i] = v.get(i);
      }
      out.put(r.getLong(0), new Doc(r.getLong(0), r.getInt(1), r.getString(2), f,
          r.getString(4)));
    }
    return out;
  }
}
