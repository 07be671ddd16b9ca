package io.github.lancesink.internal.partition;

import io.github.lancesink.partition.PartitionLister;
import io.github.lancesink.partition.SourceFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Lists a local directory tree with java.nio. */
public final class LocalLister implements PartitionLister {
  private final Path base;

  public LocalLister(Path base) {
    this.base = java.util.Objects.requireNonNull(base, "base");
  }

  @Override
  public List<SourceFile> list() {
    if (!Files.isDirectory(base)) {
      return List.of();
    }
    List<SourceFile> out = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(base)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
        if (a.isRegularFile()) {
          String rel = base.relativize(p).toString().replace('\\', '/');
          out.add(new SourceFile(rel, a.size(), a.lastModifiedTime().toInstant()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list partitions under " + base + ": "
          + e.getMessage(), e);
    } catch (UncheckedIOException e) { // from the walk's iterator
      throw new UncheckedIOException("Cannot list partitions under " + base + ": "
          + e.getMessage(), e.getCause());
    }
    return out;
  }

  @Override
  public String toString() {
    return "LocalLister{" + base + "}";
  }
}
