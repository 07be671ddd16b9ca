package io.github.lancesink.spark.internal;

import io.github.lancesink.LanceSink;
import io.github.lancesink.LanceSinkBuilder;
import io.github.lancesink.LineagePolicy;
import io.github.lancesink.WriteMode;
import io.github.lancesink.internal.Redactor;
import io.github.lancesink.policy.OptimizePolicy;
import io.github.lancesink.policy.RetryPolicy;
import io.github.lancesink.spark.LanceSinkOptions;
import io.github.lancesink.spark.TableFactory;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import scala.Option;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Everything the builder captured, and its resolution against the Spark session conf on the
 * driver. Precedence: a typed builder setter, then a writer option, then the session conf, then
 * the core default. Spark types stay here: the core only ever sees a {@link LanceSinkBuilder}.
 */
public record SparkSinkSettings(
    String tableUri,
    Map<String, String> storageOptions,
    String writerId,
    WriteMode writeMode,
    String vectorColumn,
    int dimension,
    RetryPolicy retryPolicy,
    OptimizePolicy optimizePolicy,
    LineagePolicy lineagePolicy,
    Integer lookback,
    Map<String, String> options,
    List<String> rowIdentity,
    TableFactory tableFactory)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The resolved values a driver needs for one function instance. */
  public record Resolved(LanceSinkBuilder sinkBuilder, Map<String, String> storageOptions,
      int arrowBatchRows) {}

  /** How executors (and, with a factory, the driver) open the table. */
  public TableFactory tables(Resolved resolved) {
    return tableFactory != null ? tableFactory
        : new NativeTableFactory(tableUri, resolved.storageOptions());
  }

  public Resolved resolve(SparkSession session) {
    Map<String, String> storage = new HashMap<>();
    Map<String, String> conf = CollectionConverters.asJava(session.conf().getAll());
    conf.forEach((k, v) -> {
      if (k.startsWith(LanceSinkOptions.STORAGE_PREFIX)) {
        storage.put(k.substring(LanceSinkOptions.STORAGE_PREFIX.length()), v);
      }
    });
    options.forEach((k, v) -> {
      if (k.startsWith(LanceSinkOptions.STORAGE_PREFIX)) {
        storage.put(k.substring(LanceSinkOptions.STORAGE_PREFIX.length()), v);
      }
    });
    storage.putAll(storageOptions);

    // with a table factory the caller hands the sink an opened port (LanceSinkBuilder#table)
    LanceSinkBuilder b = LanceSink.builder();
    if (tableFactory == null) {
      b.tableUri(tableUri);
    }
    b.storageOptions(storage)
        .writerId(writerId)
        .writeMode(writeMode);
    if (vectorColumn != null) {
      b.vectorColumn(vectorColumn, dimension);
    }
    String attempts = value(session, LanceSinkOptions.RETRY_MAX_ATTEMPTS);
    if (retryPolicy != null) {
      b.retryPolicy(retryPolicy);
    } else if (attempts != null) {
      b.retryPolicy(RetryPolicy.defaults().toBuilder()
          .maxAttempts(integer(LanceSinkOptions.RETRY_MAX_ATTEMPTS, attempts)).build());
    }
    String optimize = value(session, LanceSinkOptions.OPTIMIZE_ENABLED);
    if (optimizePolicy != null) {
      b.optimizePolicy(optimizePolicy);
    } else if (optimize != null) {
      b.optimizePolicy(bool(LanceSinkOptions.OPTIMIZE_ENABLED, optimize)
          ? OptimizePolicy.defaults() : OptimizePolicy.never());
    }
    String lb = value(session, LanceSinkOptions.LEDGER_LOOKBACK);
    if (lookback != null) {
      b.lookback(lookback);
    } else if (lb != null) {
      b.lookback(integer(LanceSinkOptions.LEDGER_LOOKBACK, lb));
    }
    String lineage = value(session, LanceSinkOptions.LINEAGE_POLICY);
    if (lineagePolicy != null) {
      b.lineagePolicy(lineagePolicy);
    } else if (lineage != null) {
      b.lineagePolicy(lineage(lineage));
    }
    String rows = value(session, LanceSinkOptions.ARROW_BATCH_ROWS);
    int batchRows = rows == null ? LanceSinkOptions.DEFAULT_ARROW_BATCH_ROWS
        : integer(LanceSinkOptions.ARROW_BATCH_ROWS, rows);
    return new Resolved(b, Map.copyOf(storage), batchRows);
  }

  @Override
  public String toString() {
    String where = tableFactory != null ? "table=" + tableFactory
        : "tableUri=" + Redactor.uri(tableUri);
    return "SparkSinkSettings{" + where + ", storageOptions="
        + Redactor.options(storageOptions) + ", writerId=" + writerId + ", writeMode=" + writeMode
        + ", vectorColumn=" + vectorColumn + "[" + dimension + "], options="
        + Redactor.options(options) + "}";
  }

  /** A writer option, else the session conf, else null. */
  private String value(SparkSession session, String key) {
    String v = options.get(key);
    if (v != null) {
      return v;
    }
    Option<String> c = session.conf().getOption(key);
    return c.isDefined() ? c.get() : null;
  }

  static int integer(String key, String value) {
    try {
      int n = Integer.parseInt(value.trim());
      if (n < 1) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "Option " + key + " must be a positive integer, was '" + value + "'");
    }
  }

  static boolean bool(String key, String value) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException(
          "Option " + key + " must be true or false, was '" + value + "'");
    };
  }

  /** Parses {@link LanceSinkOptions#LINEAGE_POLICY}. */
  public static LineagePolicy lineage(String value) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "fail" -> LineagePolicy.FAIL_ON_CHANGE;
      case "start-new" -> LineagePolicy.START_NEW_LINEAGE;
      default -> throw new IllegalArgumentException("Option " + LanceSinkOptions.LINEAGE_POLICY
          + " must be 'fail' or 'start-new', was '" + value + "'");
    };
  }
}
