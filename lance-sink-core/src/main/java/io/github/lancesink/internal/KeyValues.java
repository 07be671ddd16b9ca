package io.github.lancesink.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.LargeVarCharVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * Reads key, group and ordering values from Arrow vectors in one normal form: a {@link Long}
 * for any signed integer column, a {@link String} for UTF-8 columns. Both the real adapter and
 * the testkit fake compare keys in this form.
 */
public final class KeyValues {
  private KeyValues() {}

  /** True when {@code type} can be a key or group column. */
  public static boolean isKeyType(ArrowType type) {
    return (type instanceof ArrowType.Int i && i.getIsSigned())
        || type instanceof ArrowType.Utf8
        || type instanceof ArrowType.LargeUtf8;
  }

  /** True when {@code type} can order rows (a sequence column or {@code _commit_version}). */
  public static boolean isOrderType(ArrowType type) {
    return type instanceof ArrowType.Int || type instanceof ArrowType.Timestamp;
  }

  /** The value at row {@code r}, or null when it is null. */
  public static Object value(FieldVector v, int r) {
    if (v.isNull(r)) {
      return null;
    }
    if (v instanceof BaseIntVector i) {
      return i.getValueAsLong(r);
    }
    if (v instanceof VarCharVector s) {
      return new String(s.get(r), StandardCharsets.UTF_8);
    }
    if (v instanceof LargeVarCharVector s) {
      return new String(s.get(r), StandardCharsets.UTF_8);
    }
    throw new IllegalArgumentException(
        "column '" + v.getName() + "' of type " + v.getField().getType()
            + " cannot be a key; use an integer or string column");
  }

  /** The ordering value at row {@code r} of an integer or timestamp column (null if null). */
  public static Long order(FieldVector v, int r) {
    if (v.isNull(r)) {
      return null;
    }
    if (v instanceof BaseIntVector i) {
      return i.getValueAsLong(r);
    }
    if (v instanceof TimeStampVector t) {
      return t.get(r);
    }
    throw new IllegalArgumentException("column '" + v.getName() + "' cannot order rows");
  }

  /** The key of row {@code r}; an element is null when that key column is null. */
  public static List<Object> key(VectorSchemaRoot root, List<String> columns, int r) {
    List<Object> key = new ArrayList<>(columns.size());
    for (String c : columns) {
      key.add(value(root.getVector(c), r));
    }
    return key;
  }

  /** Renders a key for messages, e.g. {@code id=7, region=eu}. */
  public static String describe(List<String> columns, List<Object> key) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < columns.size(); i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(columns.get(i)).append('=').append(key.get(i));
    }
    return sb.toString();
  }
}
