package io.github.lancesink;

import io.github.lancesink.internal.Capabilities;
import io.github.lancesink.internal.TablePorts;
import io.github.lancesink.policy.OptimizePolicy;
import io.github.lancesink.policy.RetryPolicy;
import io.github.lancesink.spi.LanceTable;
import io.github.resilience4j.retry.RetryRegistry;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Builds a {@link LanceSink}. Setters reject bad values with {@link IllegalArgumentException};
 * {@link #build()} rejects missing or conflicting settings with {@link IllegalStateException}.
 *
 * @since 0.1.0
 */
public final class LanceSinkBuilder {
  private static final Pattern WRITER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private String tableUri;
  private LanceTable table;
  private Map<String, String> storageOptions = Map.of();
  private String writerId;
  private WriteMode writeMode = WriteMode.append();
  private String vectorColumn;
  private int vectorDimension;
  private RetryPolicy retryPolicy = RetryPolicy.defaults();
  private OptimizePolicy optimizePolicy = OptimizePolicy.defaults();
  private int lookback = LanceSinkConfig.DEFAULT_LOOKBACK;
  private String sourceLineage = "";
  private LineagePolicy lineagePolicy = LineagePolicy.FAIL_ON_CHANGE;
  private SchemaEvolution schemaEvolution = SchemaEvolution.STRICT;
  private Clock clock = Clock.systemUTC();
  private Sleeper sleeper = Sleeper.SYSTEM;
  private RetryRegistry retryRegistry;

  LanceSinkBuilder() {}

  /**
   * Local path or object-store URI ({@code s3://bucket/path}) of the Lance dataset. The table is
   * opened through the adapter found by {@link java.util.ServiceLoader}: add {@code
   * io.github.lancesink:lance-sink-lance} to the classpath, or {@link #build()} fails saying so.
   */
  public LanceSinkBuilder tableUri(String uri) {
    if (uri == null || uri.isBlank()) {
      throw new IllegalArgumentException("tableUri must be a non-blank path or URI");
    }
    this.tableUri = uri;
    return this;
  }

  /**
   * Writes through a caller-supplied table port instead of opening {@code tableUri}, e.g. the
   * testkit's {@code InMemoryLanceTable}. The sink does not close a supplied table. {@link
   * #build()} checks that the port offers what the settings need: {@link
   * LanceTable#keyedWrites()} for a keyed write mode, {@link LanceTable#maintenance()} for an
   * optimize policy other than {@code OptimizePolicy.never()}.
   */
  public LanceSinkBuilder table(LanceTable table) {
    this.table = Objects.requireNonNull(table, "table");
    return this;
  }

  /** Options handed to Lance (endpoint, region, keys...). Credentials are never printed. */
  public LanceSinkBuilder storageOptions(Map<String, String> options) {
    if (options == null) {
      throw new IllegalArgumentException("storageOptions must not be null; use Map.of()");
    }
    options.forEach((k, v) -> {
      if (k == null || v == null) {
        throw new IllegalArgumentException(
            "storageOptions must not contain null keys or values (key: " + k + ")");
      }
    });
    this.storageOptions = Map.copyOf(options);
    return this;
  }

  /**
   * The stable dedup namespace of this pipeline: 1 to 128 characters from {@code
   * [A-Za-z0-9._-]}, starting with a letter or digit. Never share it between live pipelines.
   */
  public LanceSinkBuilder writerId(String id) {
    if (id == null || !WRITER_ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "writerId must be 1-128 characters of [A-Za-z0-9._-] starting with a letter or digit,"
              + " was '" + id + "'");
    }
    this.writerId = id;
    return this;
  }

  public LanceSinkBuilder writeMode(WriteMode mode) {
    this.writeMode = Objects.requireNonNull(mode, "writeMode");
    return this;
  }

  /** Validates {@code column} as {@code FixedSizeList<float32>[dimension]} in every batch. */
  public LanceSinkBuilder vectorColumn(String column, int dimension) {
    if (column == null || column.isBlank()) {
      throw new IllegalArgumentException("vector column must be a non-blank column name");
    }
    if (dimension < 1 || dimension > 65_536) {
      throw new IllegalArgumentException(
          "vector dimension must be within [1, 65536], was " + dimension);
    }
    this.vectorColumn = column;
    this.vectorDimension = dimension;
    return this;
  }

  public LanceSinkBuilder retryPolicy(RetryPolicy policy) {
    this.retryPolicy = Objects.requireNonNull(policy, "retryPolicy");
    return this;
  }

  public LanceSinkBuilder optimizePolicy(OptimizePolicy policy) {
    this.optimizePolicy = Objects.requireNonNull(policy, "optimizePolicy");
    return this;
  }

  /**
   * How many versions a cold ledger lookup walks back at most (default 1,000). If this
   * writer's last marker is older, the sink fails closed instead of re-writing.
   */
  public LanceSinkBuilder lookback(int versions) {
    if (versions < 1 || versions > 10_000_000) {
      throw new IllegalArgumentException("lookback must be within [1, 10000000], was " + versions);
    }
    this.lookback = versions;
    return this;
  }

  /** The default source lineage, such as a Spark query id. Empty means none. */
  public LanceSinkBuilder sourceLineage(String lineage) {
    this.sourceLineage = lineage == null ? "" : lineage;
    return this;
  }

  public LanceSinkBuilder lineagePolicy(LineagePolicy policy) {
    this.lineagePolicy = Objects.requireNonNull(policy, "lineagePolicy");
    return this;
  }

  public LanceSinkBuilder schemaEvolution(SchemaEvolution evolution) {
    this.schemaEvolution = Objects.requireNonNull(evolution, "schemaEvolution");
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

  /**
   * Validates the settings and opens the sink. Opening does not touch storage.
   *
   * @throws IllegalStateException when a setting is missing or conflicts, when {@code tableUri}
   *     is set but no table adapter is on the classpath, or when the port lacks a capability the
   *     settings need (keyed writes for a keyed write mode, maintenance for an optimize policy
   *     other than {@code never()})
   */
  public LanceSink build() {
    if (writerId == null) {
      throw new IllegalStateException("writerId is required: the stable dedup namespace");
    }
    if (tableUri == null && table == null) {
      throw new IllegalStateException("tableUri (or a table port) is required");
    }
    if (tableUri != null && table != null) {
      throw new IllegalStateException("set either tableUri or table, not both");
    }
    if (vectorColumn != null && writeMode.kind() != WriteMode.Kind.APPEND
        && writeMode.keys().contains(vectorColumn)) {
      throw new IllegalStateException(
          "the vector column '" + vectorColumn + "' cannot also be a key column");
    }
    int subVectors = optimizePolicy.indexSubVectors();
    if (optimizePolicy.enabled() && subVectors > 0 && vectorDimension > 0
        && vectorDimension % subVectors != 0) {
      throw new IllegalStateException("OptimizePolicy.indexSubVectors=" + subVectors
          + " does not divide the vector dimension " + vectorDimension + " of '" + vectorColumn
          + "'; choose a divisor or leave it 0 to derive it");
    }
    LanceSinkConfig config =
        new LanceSinkConfig(
            tableUri != null ? tableUri : table.displayUri(),
            storageOptions,
            writerId,
            writeMode,
            Optional.ofNullable(vectorColumn),
            vectorDimension,
            retryPolicy,
            optimizePolicy,
            lookback,
            sourceLineage,
            lineagePolicy,
            schemaEvolution,
            clock,
            sleeper,
            retryRegistry != null ? retryRegistry : RetryRegistry.ofDefaults());
    boolean owns = table == null;
    LanceTable port = owns ? TablePorts.open(tableUri, storageOptions) : table;
    try {
      Capabilities.check(port, writeMode, optimizePolicy);
    } catch (IllegalStateException e) {
      if (owns) {
        port.close();
      }
      throw e;
    }
    return new LanceSink(config, port, owns);
  }
}
