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
   * On one background thread per sink. A batch only hands over the commit it made (never
   * waiting); commits made while a run is in progress are folded into the next run.
   */
  BACKGROUND
}
