package io.github.lancesink.spark.internal;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.ArrowUtils;

/**
 * How a batch's Spark rows map to the Lance table's Arrow schema, computed once per batch on the
 * driver and shipped to executors.
 *
 * <p>The batch is projected to {@code [plain columns..., vector?, _change_type?,
 * _commit_timestamp?]}: Spark's {@code ArrowWriter} converts the plain prefix, the vector column
 * (a Spark {@code ARRAY<FLOAT>}) is converted by hand into {@code FixedSizeList<float32>[dim]},
 * and the change-feed columns are consumed, not stored. The output schema keeps the DataFrame's
 * column order.
 */
public final class RowLayout implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final String CHANGE_TYPE = "_change_type";
  public static final String COMMIT_VERSION = "_commit_version";
  public static final String COMMIT_TIMESTAMP = "_commit_timestamp";

  private final StructType plain;
  private final String vectorColumn; // null when not converted
  private final int dimension;
  private final boolean vectorNullable;
  private final boolean elementsNullable;
  private final boolean hasChangeType;
  private final boolean hasCommitTimestamp;
  private final List<String> selectOrder;
  private final List<String> outputOrder;
  private final String timeZoneId;
  private boolean keyed; // upsert, replaceGroups, CDC: keys are collected
  private boolean changeFeedMode; // CDC: deletes are not stored
  private int[] keyOrdinals = new int[0];
  private org.apache.spark.sql.types.DataType[] keyTypes = new org.apache.spark.sql.types.DataType[0];

  private RowLayout(StructType plain, String vectorColumn, int dimension, boolean vectorNullable,
      boolean elementsNullable, boolean hasChangeType, boolean hasCommitTimestamp,
      List<String> selectOrder, List<String> outputOrder, String timeZoneId) {
    this.plain = plain;
    this.vectorColumn = vectorColumn;
    this.dimension = dimension;
    this.vectorNullable = vectorNullable;
    this.elementsNullable = elementsNullable;
    this.hasChangeType = hasChangeType;
    this.hasCommitTimestamp = hasCommitTimestamp;
    this.selectOrder = List.copyOf(selectOrder);
    this.outputOrder = List.copyOf(outputOrder);
    this.timeZoneId = timeZoneId;
  }

  /**
   * Plans the layout of {@code schema}. A configured vector column that is not {@code
   * ARRAY<FLOAT>} is passed through unconverted, so the core's schema check rejects it with its
   * usual message.
   */
  public static RowLayout plan(StructType schema, String vectorColumn, int dimension,
      String timeZoneId) {
    List<StructField> plainFields = new ArrayList<>();
    List<String> output = new ArrayList<>();
    StructField vector = null;
    boolean changeType = false;
    boolean commitTs = false;
    for (StructField f : schema.fields()) {
      String n = f.name();
      if (n.equals(CHANGE_TYPE) && f.dataType().equals(DataTypes.StringType)) {
        changeType = true;
      } else if (n.equals(COMMIT_TIMESTAMP) && f.dataType().equals(DataTypes.TimestampType)) {
        commitTs = true;
      } else if (n.equals(COMMIT_VERSION) && f.dataType().equals(DataTypes.LongType)) {
        continue; // consumed: it only orders changes, which append mode does not need
      } else if (n.equals(vectorColumn) && f.dataType() instanceof ArrayType at
          && at.elementType().equals(DataTypes.FloatType)) {
        vector = f;
        output.add(n);
      } else {
        plainFields.add(f);
        output.add(n);
      }
    }
    List<String> select = new ArrayList<>();
    plainFields.forEach(f -> select.add(f.name()));
    if (vector != null) {
      select.add(vector.name());
    }
    if (changeType) {
      select.add(CHANGE_TYPE);
    }
    if (commitTs) {
      select.add(COMMIT_TIMESTAMP);
    }
    boolean elementsNullable = vector != null && ((ArrayType) vector.dataType()).containsNull();
    return new RowLayout(new StructType(plainFields.toArray(new StructField[0])),
        vector == null ? null : vector.name(), dimension, vector != null && vector.nullable(),
        elementsNullable, changeType, commitTs, select, output, timeZoneId);
  }

  /**
   * Returns this layout set up for a keyed change feed: the key columns (plain columns of an
   * integer or string type) are read from every row so the driver can tell the core which stored
   * rows to remove, and {@code delete} rows are not stored.
   */
  public RowLayout forChangeFeed(List<String> keys) {
    forKeys(keys);
    changeFeedMode = true;
    return this;
  }

  /**
   * Returns this layout set up for upsert or replaceGroups: the key (or group) columns are read
   * from every row, every row is stored, and {@code _change_type}, if present, must be {@code
   * insert} as in append mode.
   */
  public RowLayout forKeys(List<String> keys) {
    keyed = true;
    keyOrdinals = new int[keys.size()];
    keyTypes = new org.apache.spark.sql.types.DataType[keys.size()];
    for (int i = 0; i < keys.size(); i++) {
      int ord = java.util.Arrays.asList(plain.fieldNames()).indexOf(keys.get(i));
      if (ord < 0) {
        throw io.github.lancesink.internal.Errors.config("Key column '" + keys.get(i)
            + "' is not a stored column of the batch (columns: " + outputOrder + ")");
      }
      keyOrdinals[i] = ord;
      keyTypes[i] = plain.fields()[ord].dataType();
    }
    return this;
  }

  /** Whether the executors collect the key (or group) values of the rows. */
  public boolean keyed() {
    return keyed;
  }

  public boolean changeFeedMode() {
    return changeFeedMode;
  }

  /** The key values of {@code row} as the core's KeyedChange wants them (Long or String). */
  public List<Object> key(org.apache.spark.sql.catalyst.InternalRow row) {
    List<Object> key = new ArrayList<>(keyOrdinals.length);
    for (int i = 0; i < keyOrdinals.length; i++) {
      int o = keyOrdinals[i];
      org.apache.spark.sql.types.DataType t = keyTypes[i];
      if (row.isNullAt(o)) {
        key.add(null);
      } else if (t.equals(DataTypes.LongType)) {
        key.add(row.getLong(o));
      } else if (t.equals(DataTypes.IntegerType)) {
        key.add((long) row.getInt(o));
      } else if (t.equals(DataTypes.ShortType)) {
        key.add((long) row.getShort(o));
      } else if (t.equals(DataTypes.ByteType)) {
        key.add((long) row.getByte(o));
      } else {
        key.add(row.getUTF8String(o).toString());
      }
    }
    return key;
  }

  /** Whether the batch carries {@code _change_type}. */
  public boolean hasChangeType() {
    return hasChangeType;
  }

  /** The Arrow schema of the plain columns, exactly as Spark's {@code ArrowUtils} maps them. */
  public Schema plainArrowSchema() {
    return ArrowUtils.toArrowSchema(plain, timeZoneId, true, false);
  }

  /** The schema of the rows written to Lance, in the DataFrame's column order. */
  public Schema outputSchema() {
    Schema p = plainArrowSchema();
    List<Field> fields = new ArrayList<>();
    for (String name : outputOrder) {
      if (name.equals(vectorColumn)) {
        fields.add(vectorField());
      } else {
        fields.add(p.findField(name));
      }
    }
    return new Schema(fields);
  }

  private Field vectorField() {
    Field item = new Field("item",
        new FieldType(elementsNullable, new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE),
            null), null);
    return new Field(vectorColumn,
        new FieldType(vectorNullable, new ArrowType.FixedSizeList(dimension), null), List.of(item));
  }

  /** Columns in the order the executors expect them in each row. */
  public List<String> selectOrder() {
    return selectOrder;
  }

  public int plainCount() {
    return plain.fields().length;
  }

  /** The converted vector column, or null when there is none. */
  public String vectorColumn() {
    return vectorColumn;
  }

  public int dimension() {
    return dimension;
  }

  /** Row ordinal of the vector column, or -1. */
  public int vectorOrdinal() {
    return vectorColumn == null ? -1 : plainCount();
  }

  /** Row ordinal of {@code _change_type}, or -1. */
  public int changeTypeOrdinal() {
    return hasChangeType ? plainCount() + (vectorColumn == null ? 0 : 1) : -1;
  }

  /** Row ordinal of {@code _commit_timestamp}, or -1. */
  public int commitTimestampOrdinal() {
    return hasCommitTimestamp ? selectOrder.size() - 1 : -1;
  }
}
