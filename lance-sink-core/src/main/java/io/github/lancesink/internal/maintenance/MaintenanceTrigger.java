package io.github.lancesink.internal.maintenance;

/** Why a maintenance run was planned. */
public enum MaintenanceTrigger {
  COMMITS("every-commits"),
  INTERVAL("interval"),
  FRAGMENTS("fragments"),
  UNINDEXED_ROWS("unindexed-rows"),
  DELETED_RATIO("deleted-ratio"),
  INDEX_THRESHOLD("index-threshold"),
  /** Work left by an earlier run (budget or version bound), or a failure whose backoff ended. */
  PENDING("pending"),
  /** A write crossed a slowdown bound and runs the cheap lane itself before it commits. */
  STALL("write-stall");

  private final String label;

  MaintenanceTrigger(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
