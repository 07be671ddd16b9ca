package io.github.lancesink.spark;

import io.github.lancesink.lance.NativeLanceTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** One real local[2] Spark session with Delta for the whole test JVM, plus Lance read-back. */
final class TestSpark {
  private static SparkSession session;

  private TestSpark() {}

  static synchronized SparkSession session() {
    if (session == null) {
      session = builder().getOrCreate();
      Runtime.getRuntime().addShutdownHook(new Thread(session::stop));
    }
    return session;
  }

  /** The configuration shared by the test session and the child JVMs of the crash test. */
  static SparkSession.Builder builder() {
    return SparkSession.builder()
        // two attempts per task, as a cluster retries (local[N] alone never retries a task)
        .master("local[2,2]")
        .appName("lance-sink-spark-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.warehouse.dir",
            Path.of(System.getProperty("java.io.tmpdir"), "lance-sink-spark-warehouse").toString())
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog",
            "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .config("spark.sql.streaming.stateStore.providerClass",
            "org.apache.spark.sql.execution.streaming.state.HDFSBackedStateStoreProvider");
  }

  /** Creates an empty Delta table (id, name, vector) with the change data feed enabled. */
  static void createDelta(Path path) {
    session().sql("CREATE TABLE delta.`" + path + "` (id BIGINT, name STRING,"
        + " vector ARRAY<FLOAT>) USING delta TBLPROPERTIES (delta.enableChangeDataFeed = true)");
  }

  /** Rows [from, to) with a deterministic 'dim'-d vector, as one file. */
  static Dataset<Row> rows(long from, long to, int dim) {
    return session().range(from, to).selectExpr("id", "concat('item-', id) AS name",
        "transform(sequence(0, " + (dim - 1) + "), i -> CAST(id * 0.5 + i AS FLOAT)) AS vector")
        .coalesce(1);
  }

  static void append(Path delta, Dataset<Row> rows) {
    rows.write().format("delta").mode("append").save(delta.toString());
  }

  /** The Delta table's latest state, keyed by id: name and vector. */
  static Map<Long, List<Object>> deltaState(Path delta) {
    Map<Long, List<Object>> out = new TreeMap<>();
    for (Row r : session().read().format("delta").load(delta.toString()).collectAsList()) {
      List<Object> v = new ArrayList<>();
      v.add(r.getString(1));
      v.add(r.isNullAt(2) ? null : floats(r.getList(2)));
      out.put(r.getLong(0), v);
    }
    return out;
  }

  private static List<Float> floats(List<Object> l) {
    List<Float> f = new ArrayList<>();
    l.forEach(o -> f.add((Float) o));
    return f;
  }

  /** Every live row of the Lance table as (id -> [name, vector]); fails on a duplicate id. */
  static Map<Long, List<Object>> lanceState(String uri) {
    Map<Long, List<Object>> out = new TreeMap<>();
    try (NativeLanceTable t = new NativeLanceTable(uri, Map.of());
        ArrowReader reader = t.scan(OptionalLong.empty(), List.of("id", "name", "vector"))) {
      while (reader.loadNextBatch()) {
        VectorSchemaRoot root = reader.getVectorSchemaRoot();
        FieldVector id = root.getVector("id");
        FieldVector name = root.getVector("name");
        FieldVector vec = root.getVector("vector");
        for (int r = 0; r < root.getRowCount(); r++) {
          List<Object> v = new ArrayList<>();
          v.add(String.valueOf(name.getObject(r)));
          v.add(vec.isNull(r) ? null : floats(new ArrayList<>((List<?>) vec.getObject(r))));
          Object prev = out.put((Long) id.getObject(r), v);
          if (prev != null) {
            throw new AssertionError("duplicate id " + id.getObject(r) + " in " + uri);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** Live rows including duplicates. */
  static long lanceRowCount(String uri) {
    long n = 0;
    try (NativeLanceTable t = new NativeLanceTable(uri, Map.of());
        ArrowReader reader = t.scan(OptionalLong.empty(), List.of("id"))) {
      while (reader.loadNextBatch()) {
        n += reader.getVectorSchemaRoot().getRowCount();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return n;
  }

  static long lanceVersion(String uri) {
    try (NativeLanceTable t = new NativeLanceTable(uri, Map.of())) {
      return t.latestVersion().orElse(0);
    }
  }

  /** The first throwable of type {@code type} in the cause chain, or null. */
  static <T extends Throwable> T causeOf(Throwable t, Class<T> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return type.cast(c);
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return null;
  }
}
