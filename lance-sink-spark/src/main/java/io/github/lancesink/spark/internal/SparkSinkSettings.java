package io.github.lancesink.spark.internal;

import io.github.lancesink.LanceSinkSettings;
import io.github.lancesink.LanceSinkSettings.Setting;
import io.github.lancesink.LineagePolicy;
import io.github.lancesink.internal.Redactor;
import io.github.lancesink.policy.OptimizePolicy;
import io.github.lancesink.policy.RetryPolicy;
import io.github.lancesink.spark.DistributedMaintenance;
import io.github.lancesink.spark.LanceSinkOptions;
import io.github.lancesink.spark.TableFactory;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import scala.Option;
import scala.Tuple2;

/**
 * Everything a Spark builder captured, and its resolution against the Spark session conf on the
 * driver. Precedence: a setting given explicitly in {@link LanceSinkSettings}, then a writer
 * option, then the session conf, then the core default. Spark types stay here: the core only
 * ever sees a {@link LanceSinkSettings}.
 *
 * @param sink the sink settings as given (no table URI when a table factory is used)
 * @param options writer options, keys from {@link LanceSinkOptions}
 * @param rowIdentity columns naming a row in error messages
 * @param tableFactory opens table handles instead of the settings' table URI, or null
 */
public record SparkSinkSettings(
    LanceSinkSettings sink,
    Map<String, String> options,
    List<String> rowIdentity,
    TableFactory tableFactory)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The resolved values a driver needs for one function instance. */
  public record Resolved(LanceSinkSettings settings, int arrowBatchRows) {}

  /**
   * Checks that exactly one of the settings' table URI and a table factory is given; {@code
   * what} names the alternative in the message.
   */
  public static void requireOneTable(LanceSinkSettings sink, Object tableFactory, String what) {
    if (sink.tableUri().isEmpty() && tableFactory == null) {
      throw new IllegalStateException("a table is required: LanceSinkSettings.tableUri(..)"
          + (what == null ? "" : " or " + what));
    }
    if (sink.tableUri().isPresent() && tableFactory != null) {
      throw new IllegalStateException("set either LanceSinkSettings.tableUri(..) or " + what
          + ", not both");
    }
  }

  /** The dedup namespace. */
  public String writerId() {
    return sink.writerId();
  }

  /** How executors (and, with a factory, the driver) open the table. */
  public TableFactory tables(Resolved resolved) {
    return tableFactory != null ? tableFactory : new NativeTableFactory(
        resolved.settings().tableUri().orElseThrow(), resolved.settings().storageOptions());
  }

  /** The effective sink settings: the given ones with the conf applied where not explicit. */
  public Resolved resolve(SparkSession session) {
    Map<String, String> storage = new HashMap<>();
    // The Scala iterator, not a converter: scala.jdk (2.13) and scala.collection.JavaConverters
    // (2.12) differ, and this one source tree builds every Spark line.
    scala.collection.Iterator<Tuple2<String, String>> conf = session.conf().getAll().iterator();
    while (conf.hasNext()) {
      Tuple2<String, String> kv = conf.next();
      if (kv._1().startsWith(LanceSinkOptions.STORAGE_PREFIX)) {
        storage.put(kv._1().substring(LanceSinkOptions.STORAGE_PREFIX.length()), kv._2());
      }
    }
    options.forEach((k, v) -> {
      if (k.startsWith(LanceSinkOptions.STORAGE_PREFIX)) {
        storage.put(k.substring(LanceSinkOptions.STORAGE_PREFIX.length()), v);
      }
    });
    storage.putAll(sink.storageOptions());

    LanceSinkSettings.Builder b = sink.toBuilder().storageOptions(storage);
    String attempts = value(session, LanceSinkOptions.RETRY_MAX_ATTEMPTS);
    if (attempts != null && !sink.isExplicit(Setting.RETRY_POLICY)) {
      b.retryPolicy(RetryPolicy.defaults().toBuilder()
          .maxAttempts(integer(LanceSinkOptions.RETRY_MAX_ATTEMPTS, attempts)).build());
    }
    String optimize = value(session, LanceSinkOptions.OPTIMIZE_ENABLED);
    if (optimize != null && !sink.isExplicit(Setting.OPTIMIZE_POLICY)) {
      b.optimizePolicy(bool(LanceSinkOptions.OPTIMIZE_ENABLED, optimize)
          ? OptimizePolicy.defaults() : OptimizePolicy.never());
    }
    String lb = value(session, LanceSinkOptions.LEDGER_LOOKBACK);
    if (lb != null && !sink.isExplicit(Setting.LOOKBACK)) {
      b.lookback(integer(LanceSinkOptions.LEDGER_LOOKBACK, lb));
    }
    String lineage = value(session, LanceSinkOptions.LINEAGE_POLICY);
    if (lineage != null && !sink.isExplicit(Setting.LINEAGE_POLICY)) {
      b.lineagePolicy(lineage(lineage));
    }
    String rows = value(session, LanceSinkOptions.ARROW_BATCH_ROWS);
    int batchRows = rows == null ? LanceSinkOptions.DEFAULT_ARROW_BATCH_ROWS
        : integer(LanceSinkOptions.ARROW_BATCH_ROWS, rows);
    return new Resolved(b.build(), batchRows);
  }

  /**
   * The distributed maintenance settings: {@code explicit} when given, else from {@link
   * LanceSinkOptions#MAINTENANCE_EXECUTION} and its two companion keys (writer option, then
   * session conf), else null (driver mode).
   */
  public DistributedMaintenance distributed(SparkSession session,
      DistributedMaintenance explicit) {
    if (explicit != null) {
      return explicit;
    }
    String execution = value(session, LanceSinkOptions.MAINTENANCE_EXECUTION);
    if (execution == null) {
      return null;
    }
    switch (execution.trim().toLowerCase(Locale.ROOT)) {
      case "driver":
        return null;
      case "distributed":
        break;
      default:
        throw new IllegalArgumentException("Option " + LanceSinkOptions.MAINTENANCE_EXECUTION
            + " must be 'driver' or 'distributed', was '" + execution + "'");
    }
    DistributedMaintenance.Builder b = DistributedMaintenance.builder();
    String pool = value(session, LanceSinkOptions.MAINTENANCE_POOL);
    if (pool != null) {
      b.pool(pool.trim());
    }
    String tasks = value(session, LanceSinkOptions.MAINTENANCE_MAX_TASKS);
    if (tasks != null) {
      b.maxConcurrentTasks(integer(LanceSinkOptions.MAINTENANCE_MAX_TASKS, tasks));
    }
    return b.build();
  }

  @Override
  public String toString() {
    return "SparkSinkSettings{" + sink + (tableFactory != null ? ", table=" + tableFactory : "")
        + ", options=" + Redactor.options(options) + ", rowIdentity=" + rowIdentity + "}";
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
