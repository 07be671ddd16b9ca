package io.github.lancesink.testkit;

import io.github.lancesink.CommitConflictException;
import io.github.lancesink.CommitStateUnknownException;
import io.github.lancesink.RetryableException;
import io.github.lancesink.spi.KeyedChange;
import io.github.lancesink.spi.KeyedCommit;
import io.github.lancesink.spi.KeyedWrites;
import io.github.lancesink.spi.LanceTable;
import io.github.lancesink.spi.StagedFragments;
import io.github.lancesink.spi.TableMaintenance;
import io.github.lancesink.spi.VersionProperties;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Decorates ANY {@link LanceTable} (the in-memory fake or the real Lance adapter) with the faults
 * scripted in a {@link Faults}: commit failures, conflicts, ambiguous commits and crashes at
 * named {@link CrashPoint}s, for appends and keyed commits alike. Reads pass through untouched;
 * the delegate's capabilities ({@link #keyedWrites()}, {@link #maintenance()}) are offered as
 * the delegate offers them.
 *
 * <pre>{@code
 * Faults faults = new Faults().commitThenThrowStateUnknown(1);
 * LanceTable table = new FaultInjectingTable(realTable, faults);
 * LanceSink sink = LanceSink.builder().table(table).writerId("w").build();
 * }</pre>
 *
 * <p>Closing the decorator closes the delegate.
 *
 * @since 0.1.0
 */
public final class FaultInjectingTable implements LanceTable {
  private final LanceTable delegate;
  private final Faults faults;

  /** Wraps {@code delegate}, injecting the faults armed in {@code faults}. */
  public FaultInjectingTable(LanceTable delegate, Faults faults) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.faults = Objects.requireNonNull(faults, "faults");
  }

  /** The fault script (shared, mutable). */
  public Faults faults() {
    return faults;
  }

  /** The wrapped table. */
  public LanceTable delegate() {
    return delegate;
  }

  @Override
  public String displayUri() {
    return delegate.displayUri();
  }

  @Override
  public OptionalLong latestVersion() {
    return delegate.latestVersion();
  }

  @Override
  public Optional<Schema> schema() {
    return delegate.schema();
  }

  @Override
  public boolean createIfAbsent(Schema schema) {
    return delegate.createIfAbsent(schema);
  }

  @Override
  public StagedFragments writeFragments(ArrowReader data) {
    faults.maybeCrash(CrashPoint.BEFORE_WRITE);
    StagedFragments staged = delegate.writeFragments(data);
    faults.maybeCrash(CrashPoint.AFTER_FRAGMENTS_WRITTEN);
    return staged;
  }

  /** Forwarded (not the default's one-batch reader), with the same crash points. */
  @Override
  public StagedFragments writeFragments(VectorSchemaRoot batch) {
    faults.maybeCrash(CrashPoint.BEFORE_WRITE);
    StagedFragments staged = delegate.writeFragments(batch);
    faults.maybeCrash(CrashPoint.AFTER_FRAGMENTS_WRITTEN);
    return staged;
  }

  @Override
  public long commitAppend(
      long readVersion, List<StagedFragments> fragments, Map<String, String> properties) {
    return commit(readVersion,
        () -> delegate.commitAppend(readVersion, fragments, properties));
  }

  /** The delegate's keyed writes; keyed commits get the same faults and crash points. */
  @Override
  public Optional<KeyedWrites> keyedWrites() {
    return delegate.keyedWrites().map(keyed -> new KeyedWrites() {
      @Override
      public void ensureKeyIndex(List<String> keyColumns) {
        keyed.ensureKeyIndex(keyColumns);
      }

      @Override
      public void prefetchKeyed(KeyedChange change) {
        keyed.prefetchKeyed(change);
      }

      @Override
      public KeyedCommit commitKeyed(long readVersion, KeyedChange change,
          List<StagedFragments> fragments, Map<String, String> properties) {
        return commit(readVersion,
            () -> keyed.commitKeyed(readVersion, change, fragments, properties));
      }
    });
  }

  /** The delegate's maintenance, without faults. */
  @Override
  public Optional<TableMaintenance> maintenance() {
    return delegate.maintenance();
  }

  private <T> T commit(long readVersion, java.util.function.Supplier<T> doCommit) {
    faults.runBeforeCommit();
    Faults.CommitFault fault = faults.takeCommitFault();
    String uri = delegate.displayUri();
    if (fault == Faults.CommitFault.FAIL_RETRYABLE) {
      throw new RetryableException(
          "commit on " + uri + " failed with an injected transient error; nothing was committed",
          null);
    }
    if (fault == Faults.CommitFault.CONFLICT) {
      throw new CommitConflictException(
          "commit on " + uri + " based on version " + readVersion
              + " hit an injected conflict; nothing was committed", null);
    }
    if (fault == Faults.CommitFault.STATE_UNKNOWN_NOT_COMMITTED) {
      throw new CommitStateUnknownException(
          "commit on " + uri + " failed with an injected unknown outcome (it did not land)", null);
    }
    T version = doCommit.get();
    if (fault == Faults.CommitFault.COMMIT_THEN_STATE_UNKNOWN) {
      throw new CommitStateUnknownException(
          "commit on " + uri + " failed with an injected unknown outcome (it landed)", null);
    }
    faults.maybeCrash(CrashPoint.AFTER_COMMIT_BEFORE_RESULT);
    return version;
  }

  @Override
  public long revertAppend(long appendVersion, Map<String, String> properties) {
    return delegate.revertAppend(appendVersion, properties);
  }

  @Override
  public VersionProperties properties(long version) {
    return delegate.properties(version);
  }

  @Override
  public OptionalLong earliestVersion() {
    return delegate.earliestVersion();
  }

  @Override
  public Map<String, String> config() {
    return delegate.config();
  }

  @Override
  public void updateConfig(Map<String, String> entries) {
    delegate.updateConfig(entries);
  }

  @Override
  public ArrowReader scan(OptionalLong version, List<String> columns) {
    return delegate.scan(version, columns);
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public String toString() {
    return "FaultInjectingTable{" + delegate + ", " + faults + "}";
  }
}
