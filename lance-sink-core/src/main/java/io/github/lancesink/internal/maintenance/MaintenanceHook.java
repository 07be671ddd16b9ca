package io.github.lancesink.internal.maintenance;

import io.github.lancesink.internal.SinkConfig;
import io.github.lancesink.internal.CommitHook;
import io.github.lancesink.internal.EventBus;
import io.github.lancesink.spi.LanceTable;
import java.util.Set;

/** Builds a sink's maintenance (planner, runner, executor) as the protocol's commit hook. */
public final class MaintenanceHook {
  private MaintenanceHook() {}

  /** The maintenance executor for a sink with {@code config} on {@code table}. */
  public static CommitHook forSink(SinkConfig config, LanceTable table, EventBus events) {
    MaintenancePlanner planner = new MaintenancePlanner(config.optimizePolicy(),
        config.vectorColumn(), config.vectorDimension(), Set.copyOf(config.writeMode().keys()),
        config.clock().instant());
    return new MaintenanceExecutor(config.optimizePolicy(), planner,
        new MaintenanceRunner(config.writerId(), config.optimizePolicy(), table, planner, events,
            config.clock()),
        config.writerId(), events, config.clock());
  }
}
