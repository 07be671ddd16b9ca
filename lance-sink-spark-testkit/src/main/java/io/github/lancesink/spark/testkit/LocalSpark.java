package io.github.lancesink.spark.testkit;

import io.github.lancesink.testkit.JvmFlags;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.apache.spark.sql.SparkSession;

/**
 * A JUnit 5 extension that shares ONE local {@code SparkSession} across every test class of the
 * test JVM (starting Spark takes seconds) and injects it as a {@link SparkSession} parameter. It
 * checks the JVM's {@code --add-opens} flags first ({@link JvmFlags#requireSpark()}) and stops the
 * session when the test run ends.
 *
 * <pre>{@code
 * @ExtendWith(LocalSpark.class)
 * class ItemSyncTest {
 *   @Test void syncs(SparkSession spark) { ... }
 * }
 * // or, with extra settings (applied when the shared session is first created):
 * @RegisterExtension static LocalSpark spark = LocalSpark.withConfig(Map.of(
 *     "spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension"));
 * }</pre>
 *
 * <p>Defaults: master {@code local[2]}, UI off, 2 shuffle partitions, session time zone UTC and
 * a warehouse directory under a temp folder.
 *
 * @since 0.1.0
 */
public final class LocalSpark implements BeforeAllCallback, ParameterResolver {
  private static SparkSession shared;

  private final Map<String, String> config;

  /** The extension with the default settings (for {@code @ExtendWith}). */
  public LocalSpark() {
    this(Map.of());
  }

  private LocalSpark(Map<String, String> config) {
    this.config = Map.copyOf(config);
  }

  /** The extension with extra Spark settings, used if it creates the shared session. */
  public static LocalSpark withConfig(Map<String, String> config) {
    return new LocalSpark(config);
  }

  /** The shared session, created on first use with the default settings. */
  public static SparkSession session() {
    return session(Map.of());
  }

  private static synchronized SparkSession session(Map<String, String> extra) {
    if (shared == null) {
      JvmFlags.requireSpark();
      Map<String, String> conf = new LinkedHashMap<>();
      conf.put("spark.ui.enabled", "false");
      conf.put("spark.sql.shuffle.partitions", "2");
      conf.put("spark.default.parallelism", "2");
      conf.put("spark.sql.session.timeZone", "UTC");
      conf.put("spark.sql.warehouse.dir", warehouse());
      conf.putAll(extra);
      SparkSession.Builder b = SparkSession.builder().master("local[2]")
          .appName("lance-sink-local-spark");
      conf.forEach(b::config);
      shared = b.getOrCreate();
      Runtime.getRuntime().addShutdownHook(new Thread(LocalSpark::stop));
    }
    return shared;
  }

  private static synchronized void stop() {
    if (shared != null) {
      shared.stop();
      shared = null;
    }
  }

  private static String warehouse() {
    try {
      return Files.createTempDirectory("lance-sink-spark-warehouse").toString();
    } catch (java.io.IOException e) {
      return Path.of(System.getProperty("java.io.tmpdir"), "lance-sink-spark-warehouse")
          .toString();
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    SparkSession s = session(config);
    // stop once, when the whole test run (the root context) closes
    context.getRoot().getStore(ExtensionContext.Namespace.create(LocalSpark.class))
        .getOrComputeIfAbsent("session", k -> (ExtensionContext.Store.CloseableResource)
            LocalSpark::stop);
    if (s.sparkContext().isStopped()) {
      throw new IllegalStateException("the shared SparkSession was stopped by a test; do not"
          + " call spark.stop() in tests that use LocalSpark");
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
    return p.getParameter().getType() == SparkSession.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext e) {
    return session(config);
  }
}
