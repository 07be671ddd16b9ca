package io.github.lancesink;

import io.github.lancesink.internal.Redactor;
import io.github.lancesink.policy.OptimizePolicy;
import io.github.lancesink.policy.RetryPolicy;
import java.io.Serializable;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The settings of a sink: an immutable, validated, {@link Serializable} value that every engine
 * adapter accepts ({@code LanceSink.builder().settings(..)}, {@code
 * LanceForeachBatch.builder().settings(..)}, the partition runners, the testkit drivers), so a
 * new setting is added here once. Runtime objects (the clock, the sleeper, a Resilience4j
 * {@code RetryRegistry}, event listeners, a table port) are not settings: they stay on the sink
 * builder, as Resilience4j keeps {@code RetryConfig} apart from {@code Retry}.
 *
 * <pre>{@code
 * LanceSinkSettings settings = LanceSinkSettings.builder()
 *     .tableUri("s3://bucket/items.lance")
 *     .writerId("items-sync")
 *     .vectorColumn("vector", 128)
 *     .build();
 * }</pre>
 *
 * <p>Two values are equal when every setting is equal and the same settings were {@linkplain
 * #isExplicit given explicitly}. {@code toString} masks every storage option that could be a
 * credential.
 *
 * @since 0.1.0
 */
public final class LanceSinkSettings implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Pattern WRITER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  /**
   * Default number of versions a cold ledger lookup walks back: enough for days of one-minute
   * batches between maintenance checkpoints, while a cold start stays well under a second.
   */
  public static final int DEFAULT_LOOKBACK = 1_000;

  /** Largest vector dimension the settings accept. */
  public static final int MAX_VECTOR_DIMENSION = 65_536;

  /** One setting, to ask whether it was {@linkplain #isExplicit given explicitly}. */
  public enum Setting {
    TABLE_URI, STORAGE_OPTIONS, WRITER_ID, WRITE_MODE, VECTOR_COLUMN, RETRY_POLICY,
    OPTIMIZE_POLICY, LOOKBACK, SOURCE_LINEAGE, LINEAGE_POLICY, SCHEMA_EVOLUTION
  }

  private final String tableUri;
  private final Map<String, String> storageOptions;
  private final String writerId;
  private final WriteMode writeMode;
  private final String vectorColumn;
  private final int vectorDimension;
  private final RetryPolicy retryPolicy;
  private final OptimizePolicy optimizePolicy;
  private final int lookback;
  private final String sourceLineage;
  private final LineagePolicy lineagePolicy;
  private final SchemaEvolution schemaEvolution;
  private final EnumSet<Setting> explicit;

  private LanceSinkSettings(Builder b) {
    this.tableUri = b.tableUri;
    this.storageOptions = Map.copyOf(b.storageOptions);
    this.writerId = b.writerId;
    this.writeMode = b.writeMode;
    this.vectorColumn = b.vectorColumn;
    this.vectorDimension = b.vectorDimension;
    this.retryPolicy = b.retryPolicy;
    this.optimizePolicy = b.optimizePolicy;
    this.lookback = b.lookback;
    this.sourceLineage = b.sourceLineage;
    this.lineagePolicy = b.lineagePolicy;
    this.schemaEvolution = b.schemaEvolution;
    this.explicit = EnumSet.copyOf(b.explicit);
  }

  /** A builder; {@code writerId} is required, every other setting has a default. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these settings, to derive a changed copy. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The local path or object-store URI of the dataset; empty when a table port is given. */
  public Optional<String> tableUri() {
    return Optional.ofNullable(tableUri);
  }

  /** Options handed to Lance (credentials included; never printed). */
  public Map<String, String> storageOptions() {
    return storageOptions;
  }

  /** The dedup namespace. */
  public String writerId() {
    return writerId;
  }

  /** How batches are applied (default {@link WriteMode#append()}). */
  public WriteMode writeMode() {
    return writeMode;
  }

  /** The vector column validated in every batch, if any. */
  public Optional<String> vectorColumn() {
    return Optional.ofNullable(vectorColumn);
  }

  /** The vector column's dimension, or 0 when no vector column is set. */
  public int vectorDimension() {
    return vectorDimension;
  }

  /** Retries of failures with no effect (default {@link RetryPolicy#defaults()}). */
  public RetryPolicy retryPolicy() {
    return retryPolicy;
  }

  /** Maintenance cadence (default {@link OptimizePolicy#defaults()}). */
  public OptimizePolicy optimizePolicy() {
    return optimizePolicy;
  }

  /** How many versions a cold ledger lookup walks back at most. */
  public int lookback() {
    return lookback;
  }

  /** The default source lineage (e.g. a Spark query id); empty means none. */
  public String sourceLineage() {
    return sourceLineage;
  }

  /** What to do when the lineage changes (default {@link LineagePolicy#FAIL_ON_CHANGE}). */
  public LineagePolicy lineagePolicy() {
    return lineagePolicy;
  }

  /** Whether new nullable columns may be added (default {@link SchemaEvolution#STRICT}). */
  public SchemaEvolution schemaEvolution() {
    return schemaEvolution;
  }

  /**
   * Whether {@code setting} was given to the builder rather than left at its default. Engine
   * adapters use it for precedence: the Spark adapter applies a session conf key only to a
   * setting that was not given explicitly.
   */
  public boolean isExplicit(Setting setting) {
    return explicit.contains(Objects.requireNonNull(setting, "setting"));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LanceSinkSettings s
        && Objects.equals(tableUri, s.tableUri)
        && storageOptions.equals(s.storageOptions)
        && writerId.equals(s.writerId)
        && writeMode.equals(s.writeMode)
        && Objects.equals(vectorColumn, s.vectorColumn)
        && vectorDimension == s.vectorDimension
        && retryPolicy.equals(s.retryPolicy)
        && optimizePolicy.equals(s.optimizePolicy)
        && lookback == s.lookback
        && sourceLineage.equals(s.sourceLineage)
        && lineagePolicy == s.lineagePolicy
        && schemaEvolution == s.schemaEvolution
        && explicit.equals(s.explicit);
  }

  @Override
  public int hashCode() {
    return Objects.hash(tableUri, storageOptions, writerId, writeMode, vectorColumn,
        vectorDimension, retryPolicy, optimizePolicy, lookback, sourceLineage, lineagePolicy,
        schemaEvolution, explicit);
  }

  @Override
  public String toString() {
    return "LanceSinkSettings{tableUri=" + (tableUri == null ? "none (a table port)"
        : Redactor.uri(tableUri))
        + ", storageOptions=" + Redactor.options(storageOptions)
        + ", writerId=" + writerId
        + ", writeMode=" + writeMode
        + ", vectorColumn=" + vectorColumn().map(c -> c + "[" + vectorDimension + "]")
            .orElse("none")
        + ", retryPolicy=" + retryPolicy
        + ", optimizePolicy=" + optimizePolicy
        + ", lookback=" + lookback
        + ", sourceLineage=" + (sourceLineage.isEmpty() ? "none (given per batch)" : sourceLineage)
        + ", lineagePolicy=" + lineagePolicy
        + ", schemaEvolution=" + schemaEvolution + "}";
  }

  /**
   * Builds {@link LanceSinkSettings}. Every validation of a setting lives here: setters reject a
   * bad argument with {@link IllegalArgumentException}; {@link #build()} rejects missing or
   * conflicting settings with {@link IllegalStateException}.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private String tableUri;
    private Map<String, String> storageOptions = Map.of();
    private String writerId;
    private WriteMode writeMode = WriteMode.append();
    private String vectorColumn;
    private int vectorDimension;
    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private OptimizePolicy optimizePolicy = OptimizePolicy.defaults();
    private int lookback = DEFAULT_LOOKBACK;
    private String sourceLineage = "";
    private LineagePolicy lineagePolicy = LineagePolicy.FAIL_ON_CHANGE;
    private SchemaEvolution schemaEvolution = SchemaEvolution.STRICT;
    private final EnumSet<Setting> explicit = EnumSet.noneOf(Setting.class);

    private Builder() {}

    private Builder(LanceSinkSettings s) {
      tableUri = s.tableUri;
      storageOptions = s.storageOptions;
      writerId = s.writerId;
      writeMode = s.writeMode;
      vectorColumn = s.vectorColumn;
      vectorDimension = s.vectorDimension;
      retryPolicy = s.retryPolicy;
      optimizePolicy = s.optimizePolicy;
      lookback = s.lookback;
      sourceLineage = s.sourceLineage;
      lineagePolicy = s.lineagePolicy;
      schemaEvolution = s.schemaEvolution;
      explicit.addAll(s.explicit);
    }

    /**
     * Local path or object-store URI ({@code s3://bucket/path}) of the Lance dataset. Leave it
     * unset when the sink is handed a table port instead.
     */
    public Builder tableUri(String uri) {
      if (uri == null || uri.isBlank()) {
        throw new IllegalArgumentException("tableUri must be a non-blank path or URI");
      }
      this.tableUri = uri;
      return given(Setting.TABLE_URI);
    }

    /**
     * Removes the table URI, for an adapter that opens the table port on that URI itself and
     * hands it to {@code LanceSink.Builder.table(..)} (the Spark adapter does so to run
     * maintenance on its executors).
     *
     * @since 0.2.0
     */
    public Builder withoutTableUri() {
      this.tableUri = null;
      explicit.remove(Setting.TABLE_URI);
      return this;
    }

    /** Options handed to Lance (endpoint, region, keys...). Credentials are never printed. */
    public Builder storageOptions(Map<String, String> options) {
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
      return given(Setting.STORAGE_OPTIONS);
    }

    /**
     * The stable dedup namespace of this pipeline: 1 to 128 characters from {@code
     * [A-Za-z0-9._-]}, starting with a letter or digit. Never share it between live pipelines.
     */
    public Builder writerId(String id) {
      if (id == null || !WRITER_ID.matcher(id).matches()) {
        throw new IllegalArgumentException(
            "writerId must be 1-128 characters of [A-Za-z0-9._-] starting with a letter or"
                + " digit, was '" + id + "'");
      }
      this.writerId = id;
      return given(Setting.WRITER_ID);
    }

    /** How batches are applied (default {@link WriteMode#append()}). */
    public Builder writeMode(WriteMode mode) {
      this.writeMode = Objects.requireNonNull(mode, "writeMode");
      return given(Setting.WRITE_MODE);
    }

    /** Validates {@code column} as {@code FixedSizeList<float32>[dimension]} in every batch. */
    public Builder vectorColumn(String column, int dimension) {
      if (column == null || column.isBlank()) {
        throw new IllegalArgumentException("vector column must be a non-blank column name");
      }
      if (dimension < 1 || dimension > MAX_VECTOR_DIMENSION) {
        throw new IllegalArgumentException("vector dimension must be within [1, "
            + MAX_VECTOR_DIMENSION + "], was " + dimension);
      }
      this.vectorColumn = column;
      this.vectorDimension = dimension;
      return given(Setting.VECTOR_COLUMN);
    }

    /** Retries of failures known to have had no effect (default {@link RetryPolicy#defaults()}). */
    public Builder retryPolicy(RetryPolicy policy) {
      this.retryPolicy = Objects.requireNonNull(policy, "retryPolicy");
      return given(Setting.RETRY_POLICY);
    }

    /** When maintenance runs (default {@link OptimizePolicy#defaults()}). */
    public Builder optimizePolicy(OptimizePolicy policy) {
      this.optimizePolicy = Objects.requireNonNull(policy, "optimizePolicy");
      return given(Setting.OPTIMIZE_POLICY);
    }

    /**
     * How many versions a cold ledger lookup walks back at most (default {@link
     * #DEFAULT_LOOKBACK}). If this writer's last marker is older, the sink fails closed
     * instead of re-writing.
     */
    public Builder lookback(int versions) {
      if (versions < 1 || versions > 10_000_000) {
        throw new IllegalArgumentException(
            "lookback must be within [1, 10000000], was " + versions);
      }
      this.lookback = versions;
      return given(Setting.LOOKBACK);
    }

    /** The default source lineage, such as a Spark query id. Null or empty means none. */
    public Builder sourceLineage(String lineage) {
      this.sourceLineage = lineage == null ? "" : lineage;
      return given(Setting.SOURCE_LINEAGE);
    }

    /** What to do when the lineage changes (default {@link LineagePolicy#FAIL_ON_CHANGE}). */
    public Builder lineagePolicy(LineagePolicy policy) {
      this.lineagePolicy = Objects.requireNonNull(policy, "lineagePolicy");
      return given(Setting.LINEAGE_POLICY);
    }

    /** Whether new nullable columns may be added (default {@link SchemaEvolution#STRICT}). */
    public Builder schemaEvolution(SchemaEvolution evolution) {
      this.schemaEvolution = Objects.requireNonNull(evolution, "schemaEvolution");
      return given(Setting.SCHEMA_EVOLUTION);
    }

    private Builder given(Setting setting) {
      explicit.add(setting);
      return this;
    }

    /** Validates the settings together and returns the value. */
    public LanceSinkSettings build() {
      if (writerId == null) {
        throw new IllegalStateException("writerId is required: the stable dedup namespace");
      }
      if (vectorColumn != null && writeMode.kind() != WriteMode.Kind.APPEND
          && writeMode.keys().contains(vectorColumn)) {
        throw new IllegalStateException(
            "the vector column '" + vectorColumn + "' cannot also be a key column");
      }
      int subVectors = optimizePolicy.indexing().subVectors();
      if (optimizePolicy.enabled() && subVectors > 0 && vectorDimension > 0
          && vectorDimension % subVectors != 0) {
        throw new IllegalStateException("OptimizePolicy.indexSubVectors=" + subVectors
            + " does not divide the vector dimension " + vectorDimension + " of '"
            + vectorColumn + "'; choose a divisor or leave it 0 to derive it");
      }
      return new LanceSinkSettings(this);
    }
  }
}
