package io.github.lancesink.internal;

import io.github.lancesink.ConfigurationException;
import io.github.lancesink.SchemaEvolution;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/** Schema rules checked before anything is written. */
public final class SchemaCheck {
  private SchemaCheck() {}

  /** The vector column must be {@code FixedSizeList<float32>[dim]}. */
  public static void vectorColumn(Schema batch, String column, int dim, String uri) {
    Field f = find(batch, column);
    if (f == null) {
      throw Errors.config(
          "Vector column '" + column + "' is missing from the batch written to " + uri
              + "; the batch has columns " + names(batch) + ".");
    }
    String expected = "FixedSizeList<float32>[" + dim + "]";
    if (!(f.getType() instanceof ArrowType.FixedSizeList fsl)
        || f.getChildren().size() != 1
        || !isFloat32(f.getChildren().get(0).getType())) {
      throw Errors.config(
          "Vector column '" + column + "' must be " + expected + " but is " + describe(f)
              + ". Convert the source vectors to fixed-size float32 lists of dimension " + dim
              + ".");
    }
    if (fsl.getListSize() != dim) {
      throw Errors.config(
          "Vector column '" + column + "' has dimension " + fsl.getListSize() + " but the sink"
              + " is configured for " + dim + " (" + expected + "). Every vector must have"
              + " exactly " + dim + " values.");
    }
  }

  /**
   * Compares the batch schema with the table schema. Returns the batch fields the table lacks
   * (only possible under {@link SchemaEvolution#ADD_NULLABLE_COLUMNS}); throws otherwise.
   */
  public static List<Field> againstTable(
      Schema batch, Schema table, SchemaEvolution evolution, String uri) {
    Map<String, Field> tableFields =
        table.getFields().stream().collect(Collectors.toMap(Field::getName, Function.identity()));
    List<Field> added = new ArrayList<>();
    for (Field bf : batch.getFields()) {
      Field tf = tableFields.get(bf.getName());
      if (tf == null) {
        if (evolution != SchemaEvolution.ADD_NULLABLE_COLUMNS) {
          throw Errors.schemaMismatch(
              uri, "column '" + bf.getName() + "' (" + describe(bf) + ") is not in the table");
        }
        if (!bf.isNullable()) {
          throw Errors.schemaMismatch(
              uri, "new column '" + bf.getName() + "' must be nullable to be added");
        }
        added.add(bf);
      } else if (!sameType(bf, tf)) {
        throw Errors.schemaMismatch(
            uri,
            "column '" + bf.getName() + "' is " + describe(bf) + " in the batch but "
                + describe(tf) + " in the table");
      }
    }
    List<String> missing = new ArrayList<>();
    for (Field tf : table.getFields()) {
      if (find(batch, tf.getName()) == null) {
        missing.add(tf.getName());
      }
    }
    if (!missing.isEmpty()) {
      throw Errors.schemaMismatch(uri, "the batch lacks table column(s) " + missing);
    }
    List<String> batchOrder =
        batch.getFields().stream().map(Field::getName).filter(tableFields::containsKey).toList();
    List<String> tableOrder = table.getFields().stream().map(Field::getName).toList();
    if (!batchOrder.equals(tableOrder)) {
      throw Errors.schemaMismatch(
          uri, "column order " + batchOrder + " differs from the table's " + tableOrder);
    }
    for (int i = 0; i < added.size(); i++) {
      Field bf = batch.getFields().get(tableOrder.size() + i);
      if (!bf.getName().equals(added.get(i).getName())) {
        throw Errors.schemaMismatch(uri, "new columns must come after all table columns");
      }
    }
    return added;
  }

  static boolean sameType(Field a, Field b) {
    if (!a.getType().equals(b.getType()) || a.getChildren().size() != b.getChildren().size()) {
      return false;
    }
    for (int i = 0; i < a.getChildren().size(); i++) {
      if (!sameType(a.getChildren().get(i), b.getChildren().get(i))) {
        return false;
      }
    }
    return true;
  }

  static boolean isFloat32(ArrowType t) {
    return t instanceof ArrowType.FloatingPoint fp
        && fp.getPrecision() == FloatingPointPrecision.SINGLE;
  }

  static Field find(Schema s, String name) {
    for (Field f : s.getFields()) {
      if (f.getName().equals(name)) {
        return f;
      }
    }
    return null;
  }

  static List<String> names(Schema s) {
    return s.getFields().stream().map(Field::getName).toList();
  }

  static String describe(Field f) {
    if (f.getChildren().isEmpty()) {
      return f.getType().toString();
    }
    return f.getType()
        + f.getChildren().stream().map(SchemaCheck::describe).collect(Collectors.joining(",", "<", ">"));
  }

  /** Rejects a configuration error early with a uniform message. */
  public static ConfigurationException missingColumn(String role, String column, Schema batch) {
    return Errors.config(
        "The " + role + " column '" + column + "' is missing from the batch; the batch has"
            + " columns " + names(batch) + ".");
  }
}
