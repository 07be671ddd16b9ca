package io.github.lancesink.internal.maintenance;

/**
 * What the planner must know about the maintenance lanes when it plans the cheap lane's work.
 *
 * @param readFloor fragments with an id at or below this are read by an index build in flight on
 *     the slow lane and must not be rewritten ({@code -1}: no build in flight; {@link
 *     Long#MAX_VALUE}: a build is starting and has not reported what it reads yet)
 * @param slowBusy the slow lane is building or retraining: plan no second build
 * @param stall a write crossed a slowdown bound: merge what can be merged now
 */
public record Lanes(long readFloor, boolean slowBusy, boolean stall) {
  /** One lane (inline mode, or no build in flight and no stall). */
  public static final Lanes NONE = new Lanes(-1, false, false);

  public boolean frozen() {
    return readFloor >= 0;
  }
}
