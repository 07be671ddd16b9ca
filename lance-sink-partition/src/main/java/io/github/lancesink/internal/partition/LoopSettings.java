package io.github.lancesink.internal.partition;

import io.github.lancesink.Sleeper;
import io.github.lancesink.partition.BadPartitionPolicy;
import io.github.lancesink.partition.CompletenessRule;
import io.github.lancesink.partition.LagPolicy;
import io.github.lancesink.partition.LateDataPolicy;
import io.github.lancesink.partition.PartitionLayout;
import io.github.lancesink.partition.PartitionLister;
import java.time.Clock;
import java.time.Duration;

/** Everything a {@link PartitionLoop} needs besides its sinks and reader. */
public record LoopSettings(
    String basePath,
    PartitionLister lister,
    PartitionLayout layout,
    CompletenessRule rule,
    LagPolicy lag,
    LateDataPolicy late,
    BadPartitionPolicy onBadPartition,
    Duration cadence,
    Clock clock,
    Sleeper sleeper) {}
