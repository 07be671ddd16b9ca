package io.github.lancesink.keyed;

import io.github.lancesink.CommitConflictException;
import io.github.lancesink.CommitStateUnknownException;
import io.github.lancesink.RetryableException;
import io.github.lancesink.spi.KeyedChange;
import io.github.lancesink.spi.KeyedCommit;
import io.github.lancesink.spi.LanceTable;
import io.github.lancesink.spi.StagedFragments;
import io.github.lancesink.spi.TableStats;
import io.github.lancesink.spi.VersionProperties;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/** A port wrapper that injects one scripted fault per call into staging and keyed commits. */
final class FaultyTable implements LanceTable {

  /** Where and how a call fails. */
  enum Fault {
    RETRYABLE_BEFORE,
    CONFLICT_BEFORE,
    UNKNOWN_NOT_LANDED,
    UNKNOWN_LANDED,
    CRASH_IN_STAGING,
    CRASH_BEFORE_COMMIT,
    CRASH_AFTER_COMMIT,
    CONCURRENT_COMPACTION
  }

  /** A simulated process death: the sink instance is abandoned and the batch replayed. */
  static final class Crash extends RuntimeException {
    Crash(String where) {
      super("simulated crash " + where);
    }
  }

  private final LanceTable delegate;
  private final Runnable compaction;
  private final Deque<Fault> script = new ArrayDeque<>();

  FaultyTable(LanceTable delegate, Runnable compaction) {
    this.delegate = delegate;
    this.compaction = compaction;
  }

  void inject(Fault f) {
    script.add(f);
  }

  @Override
  public StagedFragments writeFragments(ArrowReader data) {
    if (script.peek() == Fault.CRASH_IN_STAGING) {
      script.poll();
      throw new Crash("while staging");
    }
    return delegate.writeFragments(data);
  }

  @Override
  public KeyedCommit commitKeyed(long readVersion, KeyedChange change,
      List<StagedFragments> fragments, Map<String, String> properties) {
    Fault f = script.poll();
    if (f == null) {
      return delegate.commitKeyed(readVersion, change, fragments, properties);
    }
    switch (f) {
      case RETRYABLE_BEFORE -> throw new RetryableException("injected transient failure", null);
      case CONFLICT_BEFORE -> throw new CommitConflictException("injected conflict", null);
      case UNKNOWN_NOT_LANDED -> throw new CommitStateUnknownException("injected unknown", null);
      case CRASH_BEFORE_COMMIT -> throw new Crash("before commit");
      case CRASH_IN_STAGING -> throw new Crash("before commit (the batch staged no rows)");
      case CONCURRENT_COMPACTION -> {
        compaction.run();
        return delegate.commitKeyed(readVersion, change, fragments, properties);
      }
      default -> {
        KeyedCommit done = delegate.commitKeyed(readVersion, change, fragments, properties);
        if (f == Fault.UNKNOWN_LANDED) {
          throw new CommitStateUnknownException("injected unknown after landing", null);
        }
        throw new Crash("after commit of version " + done.version());
      }
    }
  }

  @Override
  public void ensureKeyIndex(List<String> keyColumns) {
    delegate.ensureKeyIndex(keyColumns);
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
  public long commitAppend(
      long readVersion, List<StagedFragments> fragments, Map<String, String> properties) {
    return delegate.commitAppend(readVersion, fragments, properties);
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
  public TableStats stats() {
    return delegate.stats();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
