package io.github.lancesink.spark.docs;

import io.github.lancesink.spi.LanceTable;
import io.github.lancesink.spi.StagedFragments;
import io.github.lancesink.spi.VersionProperties;
import io.github.lancesink.testkit.InMemoryLanceTable;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The "your own port implementation" that the docs' contract-suite snippets construct with
 * {@code new MyTable(path)}. Here it only delegates to the in-memory fake, so that those snippets
 * compile; a reader replaces it with their own adapter. It offers the base port only (no keyed
 * writes, no maintenance), as a first adapter would.
 */
public final class MyTable implements LanceTable {
  private final LanceTable d = InMemoryLanceTable.create();

  public MyTable(Path location) {
    java.util.Objects.requireNonNull(location, "location");
  }

  @Override public String displayUri() {
    return d.displayUri();
  }

  @Override public OptionalLong latestVersion() {
    return d.latestVersion();
  }

  @Override public Optional<Schema> schema() {
    return d.schema();
  }

  @Override public boolean createIfAbsent(Schema schema) {
    return d.createIfAbsent(schema);
  }

  @Override public StagedFragments writeFragments(ArrowReader data) {
    return d.writeFragments(data);
  }

  @Override public long commitAppend(long readVersion, List<StagedFragments> fragments,
      Map<String, String> properties) {
    return d.commitAppend(readVersion, fragments, properties);
  }

  @Override public VersionProperties properties(long version) {
    return d.properties(version);
  }

  @Override public OptionalLong earliestVersion() {
    return d.earliestVersion();
  }

  @Override public Map<String, String> config() {
    return d.config();
  }

  @Override public void updateConfig(Map<String, String> entries) {
    d.updateConfig(entries);
  }

  @Override public ArrowReader scan(OptionalLong version, List<String> columns) {
    return d.scan(version, columns);
  }

  @Override public long revertAppend(long appendVersion, Map<String, String> properties) {
    return d.revertAppend(appendVersion, properties);
  }

  @Override public void close() {
    d.close();
  }
}
