package io.github.lancesink.spark.internal;

import io.github.lancesink.InvalidBatchException;
import io.github.lancesink.internal.RowChecks;
import io.github.lancesink.internal.ValidatingReader;
import io.github.lancesink.spark.TableFactory;
import io.github.lancesink.spi.LanceTable;
import io.github.lancesink.spi.StagedFragments;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * Runs on executors: converts one partition's rows to Arrow, validates them with the core's
 * {@link RowChecks} and writes them as uncommitted Lance fragments. Returns one {@link
 * PartitionResult} (metadata only). Invalid rows are reported in the result instead of thrown, so
 * the driver can add up the counts of all partitions; the fragments such a partition may have
 * written before the bad rows are never committed.
 */
public final class PartitionWriter
    implements Function2<Integer, Iterator<InternalRow>, Iterator<PartitionResult>> {
  private static final long serialVersionUID = 1L;

  private final TableFactory tables;
  private final RowLayout layout;
  private final List<String> identityColumns;
  private final int batchRows;
  private final long batchId;

  public PartitionWriter(TableFactory tables, RowLayout layout, List<String> identityColumns,
      int batchRows, long batchId) {
    this.tables = tables;
    this.layout = layout;
    this.identityColumns = List.copyOf(identityColumns);
    this.batchRows = batchRows;
    this.batchId = batchId;
  }

  @Override
  public Iterator<PartitionResult> call(Integer partition, Iterator<InternalRow> rows) {
    return List.of(write(partition, rows)).iterator();
  }

  private PartitionResult write(int partition, Iterator<InternalRow> rows) {
    if (!rows.hasNext()) {
      return PartitionResult.empty(partition);
    }
    RowChecks checks = new RowChecks(layout.vectorColumn(), identityColumns);
    try (BufferAllocator allocator = new RootAllocator(Long.MAX_VALUE);
        RowArrowReader reader = new RowArrowReader(allocator, rows, layout, checks, batchRows);
        LanceTable table = tables.open()) {
      ValidatingReader validating = new ValidatingReader(reader, checks, batchId);
      boolean any;
      try {
        any = validating.hasRows();
      } catch (IOException e) {
        if (validating.failure() != null) {
          return invalid(partition, validating.failure(), checks);
        }
        throw new UncheckedIOException(e);
      }
      if (!any) {
        // a partition of deletes only stores nothing but still removes keys
        return new PartitionResult(partition, null, 0, reader.maxCommitMicros(), null, null, 0,
            null, keys(reader.replacedKeys()), keys(reader.deletedKeys()), reader.deletes());
      }
      StagedFragments staged;
      try {
        staged = table.writeFragments(validating);
      } catch (RuntimeException e) {
        if (validating.failure() != null) {
          return invalid(partition, validating.failure(), checks);
        }
        throw e;
      }
      if (validating.failure() != null) {
        return invalid(partition, validating.failure(), checks);
      }
      if (reader.nullKeys() > 0) {
        return new PartitionResult(partition, null, 0, Long.MIN_VALUE, String.join(",", identityColumns),
            "key values must not be null", reader.nullKeys(), "Spark partition " + partition,
            List.of(), List.of(), 0);
      }
      return new PartitionResult(partition, staged, validating.rows(), reader.maxCommitMicros(),
          null, null, 0, null, keys(reader.replacedKeys()), keys(reader.deletedKeys()),
          reader.deletes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<List<Object>> keys(java.util.Collection<List<Object>> keys) {
    return new java.util.ArrayList<>(keys); // serializable, may hold nulls
  }

  private PartitionResult invalid(int partition, InvalidBatchException e, RowChecks c) {
    RowChecks.Violation v = c.violation();
    String first = v != null ? v.firstRow() : e.firstBadRow();
    // without identity columns the core describes a row by its ordinal, which is per partition
    String where = identityColumns.isEmpty() ? "Spark partition " + partition + " row " + first
        : first;
    return new PartitionResult(partition, null, 0, Long.MIN_VALUE, e.column(),
        v != null ? v.rule() : "is invalid", e.badRows(), where, List.of(), List.of(), 0);
  }
}
