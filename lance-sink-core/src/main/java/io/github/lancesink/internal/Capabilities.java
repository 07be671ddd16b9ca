package io.github.lancesink.internal;

import io.github.lancesink.WriteMode;
import io.github.lancesink.policy.OptimizePolicy;
import io.github.lancesink.spi.LanceTable;

/**
 * Checks at {@code build()} that the table port offers every capability the sink's settings
 * need, so a missing one is never discovered by a failed batch later.
 */
public final class Capabilities {
  private Capabilities() {}

  /**
   * @throws IllegalStateException naming the port class, the missing capability and the fix
   */
  public static void check(LanceTable table, WriteMode mode, OptimizePolicy policy) {
    if (mode.kind() != WriteMode.Kind.APPEND && table.keyedWrites().isEmpty()) {
      throw new IllegalStateException(missing(table, "keyed writes", "keyedWrites()")
          + " Write mode " + mode + " needs it. Fix: use WriteMode.append(), or a port that"
          + " supports keyed writes (the testkit's InMemoryLanceTable, or the real Lance adapter"
          + " from " + TablePorts.LANCE_ARTIFACT + ").");
    }
    if (policy.enabled() && table.maintenance().isEmpty()) {
      throw new IllegalStateException(missing(table, "maintenance", "maintenance()")
          + " An optimize policy other than OptimizePolicy.never() needs it. Fix: set"
          + " optimizePolicy(OptimizePolicy.never()), or use a port that supports maintenance"
          + " (the testkit's InMemoryLanceTable, or the real Lance adapter from "
          + TablePorts.LANCE_ARTIFACT + ").");
    }
  }

  /** "The table port X (uri) does not offer the capability Y (LanceTable.getter is empty)." */
  static String missing(LanceTable table, String capability, String getter) {
    return "The table port " + table.getClass().getName() + " (" + table.displayUri()
        + ") does not offer the " + capability + " capability (LanceTable." + getter
        + " is empty).";
  }
}
