package io.github.lancesink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lancesink.internal.Marker;
import io.github.lancesink.internal.SchemaCheck;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;

class MarkerAndSchemaTest {

  /** id BIGINT NOT NULL, text STRING, vector FixedSizeList&lt;float32&gt;[8]. */
  private static Schema idTextVector8() {
    Field floats = new Field("item", org.apache.arrow.vector.types.pojo.FieldType.notNullable(
        new ArrowType.FloatingPoint(org.apache.arrow.vector.types.FloatingPointPrecision.SINGLE)),
        null);
    return new Schema(List.of(Field.notNullable("id", new ArrowType.Int(64, true)),
        Field.nullable("text", ArrowType.Utf8.INSTANCE), new Field("vector",
            org.apache.arrow.vector.types.pojo.FieldType.nullable(new ArrowType.FixedSizeList(8)),
            List.of(floats))));
  }

  @Test
  void markerRoundTripsThroughTransactionProperties() {
    Marker m = new Marker("w", 42, "query-1", "attempt-9", 1000, "append()");
    Map<String, String> p = m.toProperties();
    assertThat(p.keySet()).allMatch(k -> k.startsWith(Marker.PREFIX));
    assertThat(p).containsKey(Marker.LIB_VERSION);
    assertThat(Marker.parse(p)).contains(m);
  }

  @Test
  void malformedMarkersAreNotMarkers() {
    assertThat(Marker.parse(Map.of())).isEmpty();
    assertThat(Marker.parse(Map.of(Marker.WRITER_ID, "w"))).isEmpty();
    Map<String, String> bad = new HashMap<>(new Marker("w", 1, "", "", 1, "").toProperties());
    bad.put(Marker.BATCH_ID, "not-a-number");
    assertThat(Marker.parse(bad)).isEmpty();
  }

  @Test
  void vectorColumnMustBeFixedSizeFloat32OfTheConfiguredDimension() {
    Schema ok = idTextVector8();
    SchemaCheck.vectorColumn(ok, "vector", 8, "/t");
    assertThatThrownBy(() -> SchemaCheck.vectorColumn(ok, "vector", 16, "/t"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'vector'").hasMessageContaining("dimension 8")
        .hasMessageContaining("16");
    assertThatThrownBy(() -> SchemaCheck.vectorColumn(ok, "emb", 8, "/t"))
        .hasMessageContaining("missing").hasMessageContaining("[id, text, vector]");
    Schema list = new Schema(List.of(new Field("vector",
        org.apache.arrow.vector.types.pojo.FieldType.nullable(ArrowType.List.INSTANCE),
        List.of(Field.nullable("item", new ArrowType.FloatingPoint(
            org.apache.arrow.vector.types.FloatingPointPrecision.SINGLE))))));
    assertThatThrownBy(() -> SchemaCheck.vectorColumn(list, "vector", 8, "/t"))
        .hasMessageContaining("FixedSizeList<float32>[8]");
  }

  @Test
  void batchSchemaMustMatchTableExactly() {
    Schema table = idTextVector8();
    assertThat(SchemaCheck.againstTable(table, table, SchemaEvolution.STRICT, "/t")).isEmpty();
    Schema wrongType = new Schema(List.of(
        Field.notNullable("id", new ArrowType.Int(32, true)),
        table.getFields().get(1), table.getFields().get(2)));
    assertThatThrownBy(() -> SchemaCheck.againstTable(wrongType, table, SchemaEvolution.STRICT,
        "/t")).isInstanceOf(ConfigurationException.class).hasMessageContaining("'id'")
        .hasMessageContaining("never casts");
    Schema missing = new Schema(List.of(table.getFields().get(0), table.getFields().get(2)));
    assertThatThrownBy(() -> SchemaCheck.againstTable(missing, table, SchemaEvolution.STRICT,
        "/t")).hasMessageContaining("lacks").hasMessageContaining("text");
    Schema extra = new Schema(List.of(table.getFields().get(0), table.getFields().get(1),
        table.getFields().get(2), Field.nullable("lang", ArrowType.Utf8.INSTANCE)));
    assertThatThrownBy(() -> SchemaCheck.againstTable(extra, table, SchemaEvolution.STRICT,
        "/t")).hasMessageContaining("'lang'").hasMessageContaining("ADD_NULLABLE_COLUMNS");
    assertThat(SchemaCheck.againstTable(extra, table, SchemaEvolution.ADD_NULLABLE_COLUMNS, "/t"))
        .extracting(Field::getName).containsExactly("lang");
    Schema reordered = new Schema(List.of(table.getFields().get(1), table.getFields().get(0),
        table.getFields().get(2)));
    assertThatThrownBy(() -> SchemaCheck.againstTable(reordered, table, SchemaEvolution.STRICT,
        "/t")).hasMessageContaining("order");
  }
}
