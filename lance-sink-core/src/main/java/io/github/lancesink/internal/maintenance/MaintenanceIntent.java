package io.github.lancesink.internal.maintenance;

import io.github.lancesink.spi.IndexSpec;
import java.util.List;
import java.util.Objects;

/**
 * One piece of maintenance a commit made due: the policy decided WHEN, the runner decides HOW.
 *
 * @param action what to do
 * @param index the index to build, retrain or create (null for other actions)
 * @param argument the action's number: target rows (compact), deltas to merge (optimize) or the
 *     first version to keep (cleanup)
 * @param fragments the fragment ids to merge (merge-fragments), or the index to drop's name is
 *     in {@code index} (drop-index); empty otherwise
 * @param replaces the vector index a retrain replaces (dropped once the new one landed), or null
 */
public record MaintenanceIntent(MaintenanceAction action, IndexSpec index, long argument,
    List<Long> fragments, String replaces) {
  public MaintenanceIntent {
    Objects.requireNonNull(action, "action");
    fragments = List.copyOf(fragments);
  }

  public MaintenanceIntent(MaintenanceAction action, IndexSpec index, long argument) {
    this(action, index, argument, List.of(), null);
  }

  /** Merges exactly {@code ids}. */
  public static MaintenanceIntent merge(List<Long> ids) {
    return new MaintenanceIntent(MaintenanceAction.MERGE_FRAGMENTS, null, ids.size(), ids, null);
  }

  /** The intents a commit returned and why. Empty intents mean nothing is due. */
  public record Plan(List<MaintenanceTrigger> triggers, List<MaintenanceIntent> intents) {
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
