package io.github.lancesink.testkit;

import io.github.lancesink.spi.LanceTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.util.Text;

/**
 * Reads a table's live rows through the port into plain, immutable Java values: strings for
 * text, {@code List<Float>} for vectors, boxed numbers, {@code null} for nulls. Works on any
 * {@link LanceTable}, so tests can compare the fake and real Lance the same way.
 *
 * @since 0.1.0
 */
public final class TableRows {
  private TableRows() {}

  /** The live rows of the latest version, in scan order; empty when the table is absent. */
  public static List<Map<String, Object>> read(LanceTable table) {
    return read(table, OptionalLong.empty(), List.of());
  }

  /** The live rows of {@code version} (latest when empty), projecting {@code columns}. */
  public static List<Map<String, Object>> read(
      LanceTable table, OptionalLong version, List<String> columns) {
    if (table.latestVersion().isEmpty()) {
      return List.of();
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    try (ArrowReader reader = table.scan(version, columns)) {
      while (reader.loadNextBatch()) {
        VectorSchemaRoot root = reader.getVectorSchemaRoot();
        for (int r = 0; r < root.getRowCount(); r++) {
          Map<String, Object> row = new LinkedHashMap<>();
          for (FieldVector v : root.getFieldVectors()) {
            row.put(v.getName(), plain(v.getObject(r)));
          }
          rows.add(Collections.unmodifiableMap(row));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("scanning " + table.displayUri() + " failed", e);
    }
    return Collections.unmodifiableList(rows);
  }

  /** The values of one column, in scan order. */
  public static List<Object> column(LanceTable table, String column) {
    return read(table, OptionalLong.empty(), List.of(column)).stream()
        .map(r -> r.get(column))
        .toList();
  }

  private static Object plain(Object o) {
    if (o instanceof Text t) {
      return t.toString();
    }
    if (o instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (Object e : list) {
        out.add(plain(e));
      }
      return Collections.unmodifiableList(out);
    }
    if (o instanceof Map<?, ?> map) {
      Map<Object, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(plain(k), plain(v)));
      return Collections.unmodifiableMap(out);
    }
    if (o instanceof byte[] b) {
      return b.clone();
    }
    return o;
  }
}
