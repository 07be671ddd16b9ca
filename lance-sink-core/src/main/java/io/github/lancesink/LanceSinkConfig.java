package io.github.lancesink;

import io.github.lancesink.internal.Redactor;
import io.github.lancesink.policy.OptimizePolicy;
import io.github.lancesink.policy.RetryPolicy;
import io.github.resilience4j.retry.RetryRegistry;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * The immutable, validated configuration of a {@link LanceSink}. Its {@code toString} masks every
 * storage option that could be a credential.
 *
 * @param tableUri local path or object-store URI of the Lance dataset
 * @param storageOptions options handed to Lance (credentials included; never printed)
 * @param writerId the dedup namespace
 * @param writeMode how batches are applied
 * @param vectorColumn the vector column, if validated
 * @param vectorDimension its dimension, or 0 when no vector column is configured
 * @param retryPolicy retries of failures with no effect
 * @param optimizePolicy maintenance cadence
 * @param lookback how many versions a cold ledger lookup walks back at most
 * @param sourceLineage the default source lineage (e.g. a Spark query id); may be empty
 * @param lineagePolicy what to do when the lineage changes
 * @param schemaEvolution whether new nullable columns may be added
 * @param clock stamps events and measures durations
 * @param sleeper waits between retries
 * @param retryRegistry where the Resilience4j retry is registered
 * @since 0.1.0
 */
public record LanceSinkConfig(
    String tableUri,
    Map<String, String> storageOptions,
    String writerId,
    WriteMode writeMode,
    Optional<String> vectorColumn,
    int vectorDimension,
    RetryPolicy retryPolicy,
    OptimizePolicy optimizePolicy,
    int lookback,
    String sourceLineage,
    LineagePolicy lineagePolicy,
    SchemaEvolution schemaEvolution,
    Clock clock,
    Sleeper sleeper,
    RetryRegistry retryRegistry) {

  /** Default number of versions a cold ledger lookup walks back. */
  public static final int DEFAULT_LOOKBACK = 1_000;

  public LanceSinkConfig {
    storageOptions = Map.copyOf(storageOptions);
  }

  @Override
  public String toString() {
    return "LanceSinkConfig{tableUri=" + Redactor.uri(tableUri)
        + ", storageOptions=" + Redactor.options(storageOptions)
        + ", writerId=" + writerId
        + ", writeMode=" + writeMode
        + ", vectorColumn=" + vectorColumn.map(c -> c + "[" + vectorDimension + "]").orElse("none")
        + ", retryPolicy=" + retryPolicy
        + ", optimizePolicy=" + optimizePolicy
        + ", lookback=" + lookback
        + ", sourceLineage=" + (sourceLineage == null || sourceLineage.isEmpty()
            ? "none (given per batch)" : sourceLineage)
        + ", lineagePolicy=" + lineagePolicy
        + ", schemaEvolution=" + schemaEvolution + "}";
  }
}
