package io.github.lancesink;

import io.github.lancesink.internal.SinkConfig;
import io.github.lancesink.internal.lance.NativeLanceTable;
import io.github.lancesink.policy.OptimizePolicy;
import io.github.lancesink.policy.RetryPolicy;
import io.github.lancesink.spi.LanceTable;
import io.github.resilience4j.retry.RetryRegistry;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * Builds a {@link LanceSink} from {@link LanceSinkSettings} plus the runtime hooks that are not
 * settings: a table port, the clock, the sleeper and a Resilience4j {@code RetryRegistry}.
 *
 * <p>The setting setters ({@link #tableUri}, {@link #writerId}, ...) are shortcuts that forward
 * to one {@link LanceSinkSettings.Builder}, where every validation lives; {@link
 * #settings(LanceSinkSettings)} replaces them all at once. Setters reject bad values with
 * {@link IllegalArgumentException}; {@link #build()} rejects missing or conflicting settings
 * with {@link IllegalStateException}.
 *
 * @since 0.1.0
 */
public final class LanceSinkBuilder {
  private LanceSinkSettings.Builder settings = LanceSinkSettings.builder();
  private LanceTable table;
  private Clock clock = Clock.systemUTC();
  private Sleeper sleeper = Sleeper.SYSTEM;
  private RetryRegistry retryRegistry;

  LanceSinkBuilder() {}

  /**
   * Replaces every setting with {@code settings} (shortcut setters called later change this
   * copy). The way engine adapters and drivers hand over one value.
   */
  public LanceSinkBuilder settings(LanceSinkSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings").toBuilder();
    return this;
  }

  /** Shortcut for {@link LanceSinkSettings.Builder#tableUri}. */
  public LanceSinkBuilder tableUri(String uri) {
    settings.tableUri(uri);
    return this;
  }

  /**
   * Writes through a caller-supplied table port instead of opening {@code tableUri}, e.g. the
   * testkit's {@code InMemoryLanceTable}. The sink does not close a supplied table.
   */
  public LanceSinkBuilder table(LanceTable table) {
    this.table = Objects.requireNonNull(table, "table");
    return this;
  }

  /** Shortcut for {@link LanceSinkSettings.Builder#storageOptions}. */
  public LanceSinkBuilder storageOptions(Map<String, String> options) {
    settings.storageOptions(options);
    return this;
  }

  /** Shortcut for {@link LanceSinkSettings.Builder#writerId}. */
  public LanceSinkBuilder writerId(String id) {
    settings.writerId(id);
    return this;
  }

  /** Shortcut for {@link LanceSinkSettings.Builder#writeMode}. */
  public LanceSinkBuilder writeMode(WriteMode mode) {
    settings.writeMode(mode);
    return this;
  }

  /** Shortcut for {@link LanceSinkSettings.Builder#vectorColumn}. */
  public LanceSinkBuilder vectorColumn(String column, int dimension) {
    settings.vectorColumn(column, dimension);
    return this;
  }

  /** Shortcut for {@link LanceSinkSettings.Builder#retryPolicy}. */
  public LanceSinkBuilder retryPolicy(RetryPolicy policy) {
    settings.retryPolicy(policy);
    return this;
  }

  /** Shortcut for {@link LanceSinkSettings.Builder#optimizePolicy}. */
  public LanceSinkBuilder optimizePolicy(OptimizePolicy policy) {
    settings.optimizePolicy(policy);
    return this;
  }

  /** Shortcut for {@link LanceSinkSettings.Builder#lookback}. */
  public LanceSinkBuilder lookback(int versions) {
    settings.lookback(versions);
    return this;
  }

  /** Shortcut for {@link LanceSinkSettings.Builder#sourceLineage}. */
  public LanceSinkBuilder sourceLineage(String lineage) {
    settings.sourceLineage(lineage);
    return this;
  }

  /** Shortcut for {@link LanceSinkSettings.Builder#lineagePolicy}. */
  public LanceSinkBuilder lineagePolicy(LineagePolicy policy) {
    settings.lineagePolicy(policy);
    return this;
  }

  /** Shortcut for {@link LanceSinkSettings.Builder#schemaEvolution}. */
  public LanceSinkBuilder schemaEvolution(SchemaEvolution evolution) {
    settings.schemaEvolution(evolution);
    return this;
  }

  /** The clock that stamps events and measures durations (tests pass a manual clock). */
  public LanceSinkBuilder clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /** How the sink waits between retries (tests pass a no-op or recording sleeper). */
  public LanceSinkBuilder sleeper(Sleeper sleeper) {
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    return this;
  }

  /** Registers the sink's Resilience4j retry in the caller's registry (for shared metrics). */
  public LanceSinkBuilder retryRegistry(RetryRegistry registry) {
    this.retryRegistry = Objects.requireNonNull(registry, "retryRegistry");
    return this;
  }

  /** Validates the settings and opens the sink. Opening does not touch storage. */
  public LanceSink build() {
    LanceSinkSettings s = settings.build();
    String tableUri = s.tableUri().orElse(null);
    if (tableUri == null && table == null) {
      throw new IllegalStateException("tableUri (or a table port) is required");
    }
    if (tableUri != null && table != null) {
      throw new IllegalStateException("set either tableUri or table, not both");
    }
    SinkConfig config = new SinkConfig(s, clock, sleeper,
        retryRegistry != null ? retryRegistry : RetryRegistry.ofDefaults());
    boolean owns = table == null;
    LanceTable port = owns ? new NativeLanceTable(tableUri, s.storageOptions()) : table;
    return new LanceSink(config, port, owns);
  }
}
