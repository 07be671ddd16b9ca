package io.github.lancesink.keyed;

import io.github.lancesink.spi.KeyedChange;
import io.github.lancesink.spi.KeyedCommit;
import io.github.lancesink.spi.LanceTable;
import io.github.lancesink.spi.StagedFragments;
import io.github.lancesink.spi.TableStats;
import io.github.lancesink.spi.VersionProperties;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A port wrapper that, when armed, runs a real Lance compaction right before the next keyed
 * commit, i.e. between the commit's read version and the commit itself.
 */
final class CompactingTable implements LanceTable {
  private final LanceTable delegate;
  private final Runnable compaction;
  private boolean armed;

  CompactingTable(LanceTable delegate, Runnable compaction) {
    this.delegate = delegate;
    this.compaction = compaction;
  }

  /** Compacts once, before the next keyed commit. */
  void compactBeforeNextCommit() {
    armed = true;
  }

  @Override
  public StagedFragments writeFragments(ArrowReader data) {
    return delegate.writeFragments(data);
  }

  @Override
  public KeyedCommit commitKeyed(long readVersion, KeyedChange change,
      List<StagedFragments> fragments, Map<String, String> properties) {
    if (armed) {
      armed = false;
      compaction.run();
    }
    return delegate.commitKeyed(readVersion, change, fragments, properties);
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
