package io.github.lancesink.examples.deltacdf;

import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * TEMPLATE STAGE: embeds the rows whose text changed, on the executors, right before the sink.
 *
 * <p>Runs inside {@code mapPartitions}, so the model is called where the data is, by as many
 * tasks as the batch has partitions, and each executor JVM loads the model once (see {@link
 * MiniLmEmbedder}). Only {@code insert} and {@code update_postimage} rows carry new text, so only
 * they are embedded; {@code delete} and {@code update_preimage} rows pass through with a null
 * vector (the sink stores no delete row and drops pre-images). Two columns are added at the end:
 * {@value #VECTOR} ({@code ARRAY<FLOAT>}) and {@value #MODEL}, the model's name and version, so a
 * model change shows in the data and the rows of an old model can be found and re-embedded.
 *
 * <p>A Dataset without {@code _change_type} (a table snapshot) has every row embedded.
 *
 * @since 0.1.0
 */
final class EmbedChangedRows implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  /** The vector column the stage adds. */
  static final String VECTOR = "vector";

  /** The column holding the model's name and version, next to the vector. */
  static final String MODEL = "embedding_model";

  private static final String CHANGE_TYPE = "_change_type";

  private final TextEmbedder embedder;
  private final EmbeddingMeter meter;
  private final int textOrdinal;
  private final int changeOrdinal; // -1: embed every row

  private EmbedChangedRows(TextEmbedder embedder, EmbeddingMeter meter, StructType schema,
      String textColumn) {
    this.embedder = embedder;
    this.meter = meter;
    this.textOrdinal = schema.fieldIndex(textColumn);
    this.changeOrdinal = List.of(schema.fieldNames()).contains(CHANGE_TYPE)
        ? schema.fieldIndex(CHANGE_TYPE) : -1;
  }

  /**
   * {@code rows} plus {@value #VECTOR} and {@value #MODEL}: the embedding of {@code textColumn}
   * for inserts and update post-images (every row when there is no {@code _change_type}), null
   * for deletes and pre-images. Works on a streaming Dataset too.
   */
  static Dataset<Row> apply(Dataset<Row> rows, String textColumn, TextEmbedder embedder,
      EmbeddingMeter meter) {
    StructType out = rows.schema()
        .add(VECTOR, DataTypes.createArrayType(DataTypes.FloatType, false), true)
        .add(MODEL, DataTypes.StringType, true);
    return rows.mapPartitions(new EmbedChangedRows(embedder, meter, rows.schema(), textColumn),
        Encoders.row(out));
  }

  /** Whether a change row carries new text: an insert or an update's post-image. */
  static boolean changedText(String changeType) {
    return changeType == null || changeType.equals("insert")
        || changeType.equals("update_postimage");
  }

  @Override
  public Iterator<Row> call(Iterator<Row> input) {
    meter.modelLoaded(embedder.load()); // once per JVM; the first task on an executor pays it
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return input.hasNext();
      }

      @Override
      public Row next() {
        Row row = input.next();
        boolean embed = changeOrdinal < 0 || changedText(row.getString(changeOrdinal));
        Object[] values = new Object[row.length() + 2];
        for (int i = 0; i < row.length(); i++) {
          values[i] = row.get(i);
        }
        if (embed) {
          float[] v;
          EmbeddingMeter.begin();
          try {
            v = embedder.embed(row.getString(textOrdinal));
          } finally {
            meter.countEmbedded(EmbeddingMeter.end());
          }
          values[row.length()] = boxed(v);
          values[row.length() + 1] = embedder.modelId();
        } else {
          meter.countPassedThrough();
        }
        return RowFactory.create(values);
      }
    };
  }

  private static Float[] boxed(float[] v) {
    Float[] out = new Float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i];
    }
    return out;
  }
}
