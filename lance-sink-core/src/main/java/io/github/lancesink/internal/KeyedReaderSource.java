package io.github.lancesink.internal;

import io.github.lancesink.InvalidBatchException;
import io.github.lancesink.LanceSinkSettings;
import io.github.lancesink.WriteMode;
import io.github.lancesink.spi.BatchSource;
import io.github.lancesink.spi.KeyedChange;
import io.github.lancesink.spi.LanceTable;
import io.github.lancesink.spi.StagedFragments;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A keyed batch (upsert, change feed, group replacement) delivered as a caller's reader.
 *
 * <p>Two passes, so that no row is written before every key was checked and memory stays
 * bounded: pass one streams the input to a local Arrow spill file while {@link KeyedCollapse}
 * checks keys and keeps per distinct key a small state (about 100 bytes plus the key values)
 * and one bit per row; pass two re-reads the spill one record batch at a time, keeps the winning
 * rows and the stored columns, validates vectors and stages them as fragments. Peak memory is
 * one input record batch plus the per-key state; disk use is the batch size, freed afterwards.
 */
public final class KeyedReaderSource implements BatchSource {
  private final ArrowReader reader;
  private final LanceSinkSettings config;

  public KeyedReaderSource(ArrowReader reader, LanceSinkSettings config) {
    this.reader = java.util.Objects.requireNonNull(reader, "data");
    this.config = config;
  }

  @Override
  public Schema schema() {
    return ArrowReaders.schema(reader);
  }

  @Override
  public Staged stage(LanceTable table, long batchId) {
    WriteMode mode = config.writeMode();
    Schema batch = schema();
    String order = mode.sequenceColumn().orElse(
        mode.kind() == WriteMode.Kind.CDC && SchemaCheck.find(batch, ChangeFeed.COMMIT_VERSION)
            != null ? ChangeFeed.COMMIT_VERSION : null);
    KeyedCollapse collapse = new KeyedCollapse(mode, order, batchId);
    Path spill = null;
    try {
      spill = Files.createTempFile("lance-sink-keyed-", ".arrow");
      spill(spill, collapse);
      InvalidBatchException failure = collapse.failure();
      if (failure != null) {
        throw failure;
      }
      if (collapse.rows() == 0) {
        return new Staged(List.of(), 0);
      }
      KeyedChange change = collapse.change();
      if (!change.removesNothing()) {
        // the adapter may look the keys up while we stage
        table.keyedWrites().ifPresent(k -> k.prefetchKeyed(change));
      }
      BitSet keep = collapse.keep();
      List<StagedFragments> fragments =
          keep != null && keep.isEmpty()
              ? List.of()
              : List.of(write(table, spill, ChangeFeed.storedSchema(mode, batch), keep, batchId));
      return new Staged(fragments, collapse.rows(), Optional.of(change));
    } catch (IOException e) {
      throw new UncheckedIOException("spilling keyed batch " + batchId + " failed", e);
    } finally {
      if (spill != null) {
        try {
          Files.deleteIfExists(spill);
        } catch (IOException ignored) {
          // a temp file; the OS reclaims it
        }
      }
    }
  }

  private void spill(Path file, KeyedCollapse collapse) throws IOException {
    VectorSchemaRoot root = reader.getVectorSchemaRoot();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE);
        ArrowFileWriter writer = new ArrowFileWriter(root, null, ch)) {
      writer.start();
      while (reader.loadNextBatch()) {
        if (root.getRowCount() == 0) {
          continue;
        }
        collapse.accept(root);
        if (collapse.failure() == null) {
          writer.writeBatch();
        }
      }
      writer.end();
    }
  }

  private StagedFragments write(
      LanceTable table, Path spill, Schema stored, BitSet keep, long batchId) throws IOException {
    RowChecks checks =
        new RowChecks(config.vectorColumn().orElse(null), config.writeMode().keys());
    try (BufferAllocator allocator = new RootAllocator();
        SpillReader rows = new SpillReader(spill, stored, keep, allocator)) {
      ValidatingReader validating = new ValidatingReader(rows, checks, batchId);
      StagedFragments staged;
      try {
        staged = table.writeFragments(validating);
      } catch (RuntimeException e) {
        if (validating.failure() != null) {
          throw validating.failure();
        }
        throw e;
      }
      if (validating.failure() != null) {
        throw validating.failure();
      }
      return staged;
    }
  }
}
