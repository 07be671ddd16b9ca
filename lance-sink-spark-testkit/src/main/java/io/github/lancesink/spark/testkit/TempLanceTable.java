package io.github.lancesink.spark.testkit;

import io.github.lancesink.lance.NativeLanceTable;
import io.github.lancesink.spi.LanceTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real Lance dataset in a fresh temp directory, for tests against real Lance (native code).
 * {@link #uri()} goes to {@code LanceSinkSettings.builder().tableUri(...)}; {@link #open()} opens
 * the table port for assertions ({@code LanceAssertions.assertThat(table.open())}) without
 * reaching through a sink. {@link #close()} deletes the directory.
 *
 * <pre>{@code
 * try (TempLanceTable lance = TempLanceTable.create();
 *     LanceTable table = lance.open()) {
 *   ... run the query with .tableUri(lance.uri()) ...
 *   LanceAssertions.assertThat(table).hasRowCount(10);
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
public final class TempLanceTable implements AutoCloseable {
  private final Path dir;
  private final Path table;
  private final boolean owned;

  private TempLanceTable(Path dir, boolean owned) {
    this.dir = dir;
    this.table = dir.resolve("table.lance");
    this.owned = owned;
  }

  /** A table location in a new temp directory (the dataset is created by the first write). */
  public static TempLanceTable create() {
    try {
      return new TempLanceTable(Files.createTempDirectory("lance-sink-test-"), true);
    } catch (IOException e) {
      throw new UncheckedIOException("could not create a temp directory for a Lance table", e);
    }
  }

  /** A table location inside {@code dir} (e.g. a JUnit {@code @TempDir}); not deleted. */
  public static TempLanceTable in(Path dir) {
    return new TempLanceTable(dir, false);
  }

  /** The dataset's URI (a local path). */
  public String uri() {
    return table.toString();
  }

  /** The dataset's directory. */
  public Path path() {
    return table;
  }

  /**
   * Opens the real Lance table port for reads and assertions; the caller closes it. Loads
   * Lance's native library.
   */
  public LanceTable open() {
    return new NativeLanceTable(uri(), Map.of());
  }

  /** Deletes the temp directory (unless it was given with {@link #in(Path)}). */
  @Override
  public void close() {
    if (!owned) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete " + dir, e);
    }
  }
}
