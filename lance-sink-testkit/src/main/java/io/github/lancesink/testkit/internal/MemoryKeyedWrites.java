package io.github.lancesink.testkit.internal;

import io.github.lancesink.internal.KeyValues;
import io.github.lancesink.spi.KeyedChange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.TransferPair;

/**
 * Keyed removal for the in-memory store: the fragments of the read version that hold rows of
 * the change's keys are replaced by copies without those rows (same fragment id, like a Lance
 * deletion vector); a fragment left empty is dropped.
 */
final class MemoryKeyedWrites {
  private MemoryKeyedWrites() {}

  /** The fragments after removal and what was removed. */
  record Removal(List<MemoryStore.Fragment> fragments, long removedRows, long absentDeletes) {}

  static Removal remove(Schema schema, List<MemoryStore.Fragment> latest,
      Set<Long> lookupFragmentIds, KeyedChange change) {
    List<MemoryStore.Fragment> out = new ArrayList<>();
    Set<List<Object>> matchedDeletes = new HashSet<>();
    long removed = 0;
    for (MemoryStore.Fragment f : latest) {
      if (change.removesNothing() || !lookupFragmentIds.contains(f.id())) {
        out.add(f);
        continue;
      }
      Filtered kept = filter(schema, f.data(), change, matchedDeletes);
      removed += f.data().rows() - kept.rows;
      if (kept.rows == f.data().rows()) {
        out.add(f);
      } else if (kept.rows > 0) {
        out.add(new MemoryStore.Fragment(f.id(), new FrozenBatches.Frozen(kept.ipc, kept.rows)));
      }
    }
    return new Removal(out, removed, change.deletedKeys().size() - matchedDeletes.size());
  }

  private record Filtered(byte[] ipc, long rows) {}

  private static Filtered filter(Schema schema, FrozenBatches.Frozen data, KeyedChange change,
      Set<List<Object>> matchedDeletes) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    long rows = 0;
    try (RootAllocator alloc = new RootAllocator();
        ArrowReader in = MemoryScanReader.open(schema, List.of(data));
        VectorSchemaRoot out = VectorSchemaRoot.create(schema, alloc);
        ArrowStreamWriter writer = new ArrowStreamWriter(out, null, Channels.newChannel(bytes))) {
      writer.start();
      while (in.loadNextBatch()) {
        VectorSchemaRoot root = in.getVectorSchemaRoot();
        List<Integer> keep = new ArrayList<>();
        for (int r = 0; r < root.getRowCount(); r++) {
          List<Object> key = KeyValues.key(root, change.keyColumns(), r);
          if (change.deletedKeys().contains(key)) {
            matchedDeletes.add(key);
          } else if (!change.replacedKeys().contains(key)) {
            keep.add(r);
          }
        }
        out.clear();
        List<TransferPair> pairs = new ArrayList<>();
        for (FieldVector v : out.getFieldVectors()) {
          v.allocateNew();
          pairs.add(root.getVector(v.getName()).makeTransferPair(v));
        }
        for (int j = 0; j < keep.size(); j++) {
          for (TransferPair p : pairs) {
            p.copyValueSafe(keep.get(j), j);
          }
        }
        for (FieldVector v : out.getFieldVectors()) {
          v.setValueCount(keep.size());
        }
        out.setRowCount(keep.size());
        if (!keep.isEmpty()) {
          writer.writeBatch();
        }
        rows += keep.size();
      }
      writer.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Filtered(bytes.toByteArray(), rows);
  }
}
