package io.github.lancesink.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.TransferPair;

/**
 * Second pass over a keyed batch: re-reads the spilled Arrow file one record batch at a time,
 * keeps the rows in {@code keep} (all rows when null) and only the stored columns.
 */
final class SpillReader extends ArrowReader {
  private final FileChannel channel;
  private final ArrowFileReader spill;
  private final Schema stored;
  private final BitSet keep;
  private final VectorSchemaRoot out;
  private long base;

  SpillReader(Path file, Schema stored, BitSet keep, BufferAllocator allocator)
      throws IOException {
    super(allocator);
    this.channel = FileChannel.open(file, StandardOpenOption.READ);
    this.spill = new ArrowFileReader(channel, allocator);
    this.stored = stored;
    this.keep = keep;
    this.out = VectorSchemaRoot.create(stored, allocator);
  }

  @Override
  public boolean loadNextBatch() throws IOException {
    while (spill.loadNextBatch()) {
      VectorSchemaRoot in = spill.getVectorSchemaRoot();
      int n = in.getRowCount();
      long from = base;
      base += n;
      int kept = keep == null ? n : keep.get((int) from, (int) (from + n)).cardinality();
      if (kept == 0) {
        continue;
      }
      out.clear();
      List<TransferPair> pairs = new ArrayList<>();
      for (Field f : stored.getFields()) {
        FieldVector target = out.getVector(f.getName());
        target.setInitialCapacity(kept);
        target.allocateNew();
        pairs.add(in.getVector(f.getName()).makeTransferPair(target));
      }
      int j = 0;
      for (int r = 0; r < n; r++) {
        if (keep == null || keep.get((int) from + r)) {
          for (TransferPair p : pairs) {
            p.copyValueSafe(r, j);
          }
          j++;
        }
      }
      for (FieldVector v : out.getFieldVectors()) {
        v.setValueCount(kept);
      }
      out.setRowCount(kept);
      return true;
    }
    return false;
  }

  @Override
  public VectorSchemaRoot getVectorSchemaRoot() {
    return out;
  }

  @Override
  public long bytesRead() {
    return 0;
  }

  @Override
  protected void closeReadSource() throws IOException {
    out.close();
    spill.close();
    channel.close();
  }

  @Override
  protected Schema readSchema() {
    return stored;
  }
}
