package io.github.lancesink.internal.maintenance;

import io.github.lancesink.spi.IndexSpec;
import java.util.List;
import java.util.Objects;

/**
 * One piece of maintenance a commit made due: the planner decided WHEN, the runner decides HOW.
 * One record per action, each with exactly the values that action needs.
 */
public sealed interface MaintenanceIntent {
  /** What to do (its label, version cost and lane). */
  MaintenanceAction action();

  /** Retires {@code name}, a second vector index left by a retrain stopped before its swap. */
  record DropIndex(String name) implements MaintenanceIntent {
    public DropIndex {
      Objects.requireNonNull(name, "name");
    }

    @Override
    public MaintenanceAction action() {
      return MaintenanceAction.DROP_INDEX;
    }
  }

  /** Lance compaction towards {@code targetRows} rows per fragment. */
  record Compact(long targetRows) implements MaintenanceIntent {
    @Override
    public MaintenanceAction action() {
      return MaintenanceAction.COMPACT;
    }
  }

  /** Merges exactly the fragments {@code ids} (beside an index build that reads the others). */
  record MergeFragments(List<Long> ids) implements MaintenanceIntent {
    public MergeFragments {
      ids = List.copyOf(ids);
    }

    @Override
    public MaintenanceAction action() {
      return MaintenanceAction.MERGE_FRAGMENTS;
    }
  }

  /**
   * Builds the vector index {@code spec}, or retrains it under that name and then drops {@code
   * replaces}; {@code trainedRows} (the table's rows when planned) becomes the drift baseline.
   */
  record BuildIndex(IndexSpec spec, long trainedRows, String replaces)
      implements MaintenanceIntent {
    public BuildIndex {
      Objects.requireNonNull(spec, "spec");
    }

    /** A first build (nothing replaced). */
    public BuildIndex(IndexSpec spec, long trainedRows) {
      this(spec, trainedRows, null);
    }

    @Override
    public MaintenanceAction action() {
      return replaces == null ? MaintenanceAction.BUILD_INDEX : MaintenanceAction.RETRAIN_INDEX;
    }
  }

  /** Creates the scalar (BTREE) index {@code spec}. */
  record ScalarIndex(IndexSpec spec) implements MaintenanceIntent {
    public ScalarIndex {
      Objects.requireNonNull(spec, "spec");
    }

    @Override
    public MaintenanceAction action() {
      return MaintenanceAction.SCALAR_INDEX;
    }
  }

  /**
   * Folds unindexed rows into every index: into a new delta segment ({@code mergeSegments} 0), or
   * merging that many of the newest segments.
   */
  record OptimizeIndices(int mergeSegments) implements MaintenanceIntent {
    @Override
    public MaintenanceAction action() {
      return MaintenanceAction.OPTIMIZE_INDICES;
    }
  }

  /** Checkpoints the ledger, then removes versions below {@code keepFrom}. */
  record Cleanup(long keepFrom) implements MaintenanceIntent {
    @Override
    public MaintenanceAction action() {
      return MaintenanceAction.CLEANUP;
    }
  }

  /** The intents a commit returned and why. Empty intents mean nothing is due. */
  record Plan(List<MaintenanceTrigger> triggers, List<MaintenanceIntent> intents) {
    public Plan {
      triggers = List.copyOf(triggers);
      intents = List.copyOf(intents);
    }

    public static Plan none() {
      return new Plan(List.of(), List.of());
    }

    public boolean isEmpty() {
      return intents.isEmpty();
    }
  }
}
