package io.github.lancesink.internal;

import io.github.lancesink.LanceSinkSettings;
import io.github.lancesink.spi.BatchSource;
import io.github.lancesink.spi.LanceTable;
import io.github.lancesink.spi.StagedFragments;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/** A batch delivered as a caller's {@link ArrowReader}: validated while streamed to Lance. */
public final class ReaderSource implements BatchSource {
  private final ArrowReader reader;
  private final LanceSinkSettings config;
  private ValidatingReader validating;
  private Boolean hasRows;

  public ReaderSource(ArrowReader reader, LanceSinkSettings config) {
    this.reader = java.util.Objects.requireNonNull(reader, "data");
    this.config = config;
  }

  @Override
  public Schema schema() {
    return ArrowReaders.schema(reader);
  }

  private ValidatingReader validating(long batchId) {
    if (validating == null) {
      RowChecks checks =
          new RowChecks(config.vectorColumn().orElse(null), config.writeMode().keys());
      validating = new ValidatingReader(reader, checks, batchId);
    }
    return validating;
  }

  /** Peeks the first batch; validation errors in it surface here, before anything is written. */
  public boolean peekHasRows(long batchId) {
    if (hasRows == null) {
      try {
        hasRows = validating(batchId).hasRows();
      } catch (IOException e) {
        if (validating.failure() != null) {
          throw validating.failure();
        }
        throw new UncheckedIOException("reading the batch failed", e);
      }
    }
    return hasRows;
  }

  /** Peeks the first batch (see {@link #peekHasRows}). */
  @Override
  public boolean isKnownEmpty(long batchId) {
    return !peekHasRows(batchId);
  }

  @Override
  public Staged stage(LanceTable table, long batchId) {
    if (!peekHasRows(batchId)) {
      return new Staged(List.of(), 0);
    }
    ValidatingReader v = validating(batchId);
    // The first batch (already validated) goes through Lance's single-batch path, which costs
    // less than a C stream; any further batches follow as one stream (then 2 fragment sets).
    List<StagedFragments> staged = new java.util.ArrayList<>(2);
    try {
      staged.add(table.writeFragments(v.getVectorSchemaRoot()));
      if (v.skipPending()) {
        staged.add(table.writeFragments(v));
      }
    } catch (IOException e) {
      if (v.failure() != null) {
        throw v.failure();
      }
      throw new UncheckedIOException("reading the batch failed", e);
    } catch (RuntimeException e) {
      if (v.failure() != null) {
        throw v.failure();
      }
      throw e;
    }
    if (v.failure() != null) {
      throw v.failure();
    }
    return new Staged(staged, v.rows());
  }
}
