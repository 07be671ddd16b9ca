package io.github.lancesink.spark.testkit;

import io.github.lancesink.spark.TableFactory;
import io.github.lancesink.spark.testkit.internal.SharedTableHandle;
import io.github.lancesink.spi.LanceTable;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A JVM-wide registry that lets Spark tasks reach an in-process table (typically the testkit's
 * {@code InMemoryLanceTable}) by name. In {@code local[n]} mode executors run in the driver's
 * JVM, so the {@link TableFactory} returned by {@link #register} (which only carries the name
 * across serialization) finds the same instance on every task thread. Handles it opens can be
 * closed freely; the registered table stays open until its owner closes it.
 *
 * <pre>{@code
 * try (InMemoryLanceTable table = InMemoryLanceTable.create()) {
 *   TableFactory tables = SparkTables.register("items", table);
 *   LanceForeachBatch fn = LanceForeachBatch.builder().table(tables)
 *       .settings(LanceSinkSettings.builder().writerId("w").build()).build();
 *   ...
 *   SparkTables.unregister("items");
 * }
 * }</pre>
 *
 * <p>It does not work with a cluster (or {@code local-cluster}) master, whose executors are
 * other JVMs: there {@link TableFactory#open()} fails naming the missing table.
 *
 * @since 0.1.0
 */
public final class SparkTables {
  private static final Map<String, LanceTable> TABLES = new ConcurrentHashMap<>();

  private SparkTables() {}

  /**
   * Registers {@code table} under {@code name} and returns a factory for it.
   *
   * @throws IllegalStateException when another table is registered under {@code name}
   */
  public static TableFactory register(String name, LanceTable table) {
    Objects.requireNonNull(table, "table");
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a registered table needs a non-blank name");
    }
    LanceTable previous = TABLES.putIfAbsent(name, table);
    if (previous != null && previous != table) {
      throw new IllegalStateException("a different table is already registered as '" + name
          + "' (" + previous.displayUri() + "); unregister it first or pick another name");
    }
    return registered(name);
  }

  /** A factory for the table registered (now or later) under {@code name}. */
  public static TableFactory registered(String name) {
    return new Registered(name);
  }

  /** Removes the table registered under {@code name}, if any. */
  public static void unregister(String name) {
    TABLES.remove(name);
  }

  /** True when a table is registered under {@code name}. */
  public static boolean isRegistered(String name) {
    return TABLES.containsKey(name);
  }

  private record Registered(String name) implements TableFactory {
    private static final long serialVersionUID = 1L;

    @Override
    public LanceTable open() {
      LanceTable t = TABLES.get(name);
      if (t == null) {
        throw new IllegalStateException("no table is registered as '" + name + "' in this JVM"
            + " (registered: " + TABLES.keySet() + "). SparkTables only works when executors"
            + " share the test's JVM (master local[n]) and while the table is registered.");
      }
      return new SharedTableHandle(t);
    }

    @Override
    public String toString() {
      return "SparkTables.registered(" + name + ")";
    }
  }
}
