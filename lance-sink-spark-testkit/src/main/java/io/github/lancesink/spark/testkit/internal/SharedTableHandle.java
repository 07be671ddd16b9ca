package io.github.lancesink.spark.testkit.internal;

import io.github.lancesink.spi.KeyedWrites;
import io.github.lancesink.spi.LanceTable;
import io.github.lancesink.spi.StagedFragments;
import io.github.lancesink.spi.TableMaintenance;
import io.github.lancesink.spi.VersionProperties;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A handle on a registered table that every Spark task and the driver may close: {@link #close()}
 * leaves the shared table open (the test that registered it owns it).
 */
public final class SharedTableHandle implements LanceTable {
  private final LanceTable t;

  public SharedTableHandle(LanceTable table) {
    this.t = table;
  }

  @Override
  public String displayUri() {
    return t.displayUri();
  }

  @Override
  public OptionalLong latestVersion() {
    return t.latestVersion();
  }

  @Override
  public Optional<Schema> schema() {
    return t.schema();
  }

  @Override
  public boolean createIfAbsent(Schema schema) {
    return t.createIfAbsent(schema);
  }

  @Override
  public StagedFragments writeFragments(ArrowReader data) {
    return t.writeFragments(data);
  }

  @Override
  public long commitAppend(long readVersion, List<StagedFragments> fragments,
      Map<String, String> properties) {
    return t.commitAppend(readVersion, fragments, properties);
  }

  @Override
  public VersionProperties properties(long version) {
    return t.properties(version);
  }

  @Override
  public OptionalLong earliestVersion() {
    return t.earliestVersion();
  }

  @Override
  public Map<String, String> config() {
    return t.config();
  }

  @Override
  public void updateConfig(Map<String, String> entries) {
    t.updateConfig(entries);
  }

  @Override
  public ArrowReader scan(OptionalLong version, List<String> columns) {
    return t.scan(version, columns);
  }

  @Override
  public Optional<KeyedWrites> keyedWrites() {
    return t.keyedWrites();
  }

  @Override
  public Optional<TableMaintenance> maintenance() {
    return t.maintenance();
  }

  @Override
  public long revertAppend(long appendVersion, Map<String, String> properties) {
    return t.revertAppend(appendVersion, properties);
  }

  @Override
  public void close() {
    // the registered table stays open; its owner closes it
  }

  @Override
  public String toString() {
    return "SharedTableHandle{" + t.displayUri() + "}";
  }
}
