package io.github.lancesink.internal;

import io.github.lancesink.LanceSinkSettings;
import io.github.lancesink.LineagePolicy;
import io.github.lancesink.SchemaEvolution;
import io.github.lancesink.Sleeper;
import io.github.lancesink.WriteMode;
import io.github.lancesink.policy.OptimizePolicy;
import io.github.lancesink.policy.RetryPolicy;
import io.github.resilience4j.retry.RetryRegistry;
import java.time.Clock;
import java.util.Optional;

/**
 * What one sink instance runs with: its {@link LanceSinkSettings} plus the runtime hooks given
 * to the sink builder. The accessors of the settings are repeated so the protocol reads them in
 * one place.
 */
public record SinkConfig(
    LanceSinkSettings settings, Clock clock, Sleeper sleeper, RetryRegistry retryRegistry) {

  public String writerId() {
    return settings.writerId();
  }

  public WriteMode writeMode() {
    return settings.writeMode();
  }

  public Optional<String> vectorColumn() {
    return settings.vectorColumn();
  }

  public int vectorDimension() {
    return settings.vectorDimension();
  }

  public RetryPolicy retryPolicy() {
    return settings.retryPolicy();
  }

  public OptimizePolicy optimizePolicy() {
    return settings.optimizePolicy();
  }

  public LineagePolicy lineagePolicy() {
    return settings.lineagePolicy();
  }

  public SchemaEvolution schemaEvolution() {
    return settings.schemaEvolution();
  }
}
