package io.github.lancesink.policy;

import java.io.Serializable;

/**
 * When and how the sink keeps the table fast: compaction, vector index upkeep and version
 * cleanup. Immutable.
 *
 * @since 0.1.0
 */
public final class OptimizePolicy implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Default number of versions kept by cleanup; never below the ledger lookback. */
  public static final int DEFAULT_RETAIN_VERSIONS = 2_000;

  private static final OptimizePolicy NEVER = new OptimizePolicy(false, Integer.MAX_VALUE);
  private static final OptimizePolicy DEFAULTS = new OptimizePolicy(true, DEFAULT_RETAIN_VERSIONS);

  private final boolean enabled;
  private final int retainVersions;

  private OptimizePolicy(boolean enabled, int retainVersions) {
    this.enabled = enabled;
    this.retainVersions = retainVersions;
  }

  public static OptimizePolicy defaults() {
    return DEFAULTS;
  }

  /** No maintenance at all. */
  public static OptimizePolicy never() {
    return NEVER;
  }

  public boolean enabled() {
    return enabled;
  }

  /** Versions kept by cleanup. */
  public int retainVersions() {
    return retainVersions;
  }

  /**
   * Refuses a cleanup retention shorter than the ledger lookback: cleanup would delete markers
   * the ledger must still find.
   *
   * @throws IllegalStateException naming both values
   */
  public void validateAgainstLookback(int lookback) {
    if (enabled && retainVersions < lookback) {
      throw new IllegalStateException(
          "OptimizePolicy keeps " + retainVersions + " versions but the ledger lookback is "
              + lookback + "; cleanup would delete dedup markers the ledger must find. Keep"
              + " retainVersions >= lookback.");
    }
  }

  @Override
  public String toString() {
    return enabled ? "OptimizePolicy{retainVersions=" + retainVersions + "}" : "OptimizePolicy.never()";
  }
}
