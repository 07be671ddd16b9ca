package io.github.lancesink.policy;

/**
 * Where {@link OptimizePolicy} maintenance runs.
 *
 * @since 0.1.0
 */
public enum MaintenanceMode {
  /**
   * On the writing thread right after the commit, starting no new action once the {@linkplain
   * OptimizePolicy#budget() budget} is spent. Deterministic; adds latency to the batches that
   * trigger maintenance.
   */
  INLINE,
  /**
   * On two background threads per sink: index builds and retrains on one, everything else on
   * the other. A batch hands over the commit it made; commits made while a run is in progress
   * are folded into the next run. A batch waits only at a write-stall bound (docs/optimize.md).
   */
  BACKGROUND
}
