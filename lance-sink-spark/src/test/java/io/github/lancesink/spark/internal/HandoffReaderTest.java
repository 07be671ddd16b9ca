package io.github.lancesink.spark.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;

/**
 * The hand-off between a task's conversion thread and Lance's writer thread (issue 15): real
 * Arrow buffers, two real threads; every test also checks that no buffer leaks.
 */
class HandoffReaderTest {
  static final Schema SCHEMA = new Schema(List.of(
      new Field("id", FieldType.notNullable(new ArrowType.Int(64, true)), null),
      new Field("name", FieldType.nullable(new ArrowType.Utf8()), null)));

  /** Fills {@code root} (vectors possibly emptied by a hand-off) with rows [from, from+n). */
  static void fill(VectorSchemaRoot root, int from, int n) {
    BigIntVector id = (BigIntVector) root.getVector("id");
    VarCharVector name = (VarCharVector) root.getVector("name");
    for (int i = 0; i < n; i++) {
      id.setSafe(i, from + i);
      name.setSafe(i, ("row-" + (from + i)).repeat(1 + (from + i) % 3)
          .getBytes(StandardCharsets.UTF_8));
    }
    root.setRowCount(n);
  }

  /** Puts rows [from, from+n) from another thread; completes with what put returned. */
  static CompletableFuture<Boolean> putAsync(HandoffReader reader, BufferAllocator alloc,
      int from, int n) {
    return CompletableFuture.supplyAsync(() -> {
      try (VectorSchemaRoot batch = VectorSchemaRoot.create(SCHEMA, alloc)) {
        fill(batch, from, n);
        return reader.put(batch);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  /**
   * Purpose: batches cross threads in order and whole, and the producer's emptied vectors can
   * be refilled. Steps: 25 batches of 1-37 rows put from a producer thread, pulled here. Pass:
   * the pulled ids are 0..N-1 in order with the right names, then end of stream; no buffer is
   * left allocated after close.
   */
  @Test
  void batchesCrossInOrderAndWhole() throws Exception {
    try (BufferAllocator alloc = new RootAllocator()) {
      HandoffReader reader = new HandoffReader(alloc, SCHEMA, 1);
      int[] sizes = new int[25];
      int total = 0;
      for (int b = 0; b < sizes.length; b++) {
        sizes[b] = 1 + (b * 7) % 37;
        total += sizes[b];
      }
      CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
        try (VectorSchemaRoot src = VectorSchemaRoot.create(SCHEMA, alloc)) {
          int from = 0;
          for (int n : sizes) {
            fill(src, from, n);
            from += n;
            assertThat(reader.put(src)).isTrue();
            assertThat(src.getRowCount()).isZero(); // the buffers moved, nothing was copied
          }
          reader.finish();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      });
      List<Long> ids = new ArrayList<>();
      while (reader.loadNextBatch()) {
        VectorSchemaRoot root = reader.getVectorSchemaRoot();
        for (int r = 0; r < root.getRowCount(); r++) {
          long id = ((BigIntVector) root.getVector("id")).get(r);
          ids.add(id);
          String name = new String(((VarCharVector) root.getVector("name")).get(r),
              StandardCharsets.UTF_8);
          assertThat(name).isEqualTo(("row-" + id).repeat(1 + (int) id % 3));
        }
      }
      producer.get(10, TimeUnit.SECONDS);
      assertThat(ids).hasSize(total);
      for (int i = 0; i < total; i++) {
        assertThat(ids.get(i)).isEqualTo(i);
      }
      reader.close();
      assertThat(alloc.getAllocatedMemory()).isZero();
    }
  }

  /**
   * Purpose: the producer runs at most one batch ahead (bounded memory). Steps: put one batch,
   * then a second from another thread without pulling. Pass: the second put is still blocked
   * after 300 ms, and returns as soon as one batch is pulled.
   */
  @Test
  void producerRunsAtMostDepthAhead() throws Exception {
    try (BufferAllocator alloc = new RootAllocator();
        VectorSchemaRoot src = VectorSchemaRoot.create(SCHEMA, alloc)) {
      HandoffReader reader = new HandoffReader(alloc, SCHEMA, 1);
      fill(src, 0, 3);
      assertThat(reader.put(src)).isTrue();
      CompletableFuture<Boolean> second = putAsync(reader, alloc, 3, 3);
      assertThatThrownBy(() -> second.get(300, TimeUnit.MILLISECONDS))
          .isInstanceOf(TimeoutException.class);
      assertThat(reader.loadNextBatch()).isTrue();
      assertThat(second.get(5, TimeUnit.SECONDS)).isTrue();
      assertThat(reader.loadNextBatch()).isTrue();
      assertThat(((BigIntVector) reader.getVectorSchemaRoot().getVector("id")).get(0))
          .isEqualTo(3);
      reader.close();
      src.close();
      assertThat(alloc.getAllocatedMemory()).isZero();
    }
  }

  /**
   * Purpose: a failure of the rows reaches Lance's pull, so the write aborts. Steps: put one
   * batch, then fail with an upstream exception. Pass: the first pull returns the batch, the
   * next throws an IOException whose cause is the upstream exception.
   */
  @Test
  void producerFailureFailsTheNextPull() throws Exception {
    try (BufferAllocator alloc = new RootAllocator();
        VectorSchemaRoot src = VectorSchemaRoot.create(SCHEMA, alloc)) {
      HandoffReader reader = new HandoffReader(alloc, SCHEMA, 1);
      fill(src, 0, 5);
      reader.put(src);
      IllegalStateException upstream = new IllegalStateException("upstream boom");
      reader.fail(upstream);
      assertThat(reader.loadNextBatch()).isTrue();
      assertThatThrownBy(reader::loadNextBatch).isInstanceOf(IOException.class)
          .hasCause(upstream);
      assertThat(reader.consumerDone()).isTrue();
      reader.close();
      src.close();
      assertThat(alloc.getAllocatedMemory()).isZero();
    }
  }

  /**
   * Purpose: when Lance stops pulling (its write failed and it released the stream), a blocked
   * producer is released instead of hanging the task, and queued batches are freed. Steps: fill
   * the queue, block a second put, close the reader. Pass: the blocked put returns false
   * within 5 s, later puts return false at once, and no buffer is left allocated.
   */
  @Test
  void consumerCloseReleasesABlockedProducer() throws Exception {
    try (BufferAllocator alloc = new RootAllocator()) {
      HandoffReader reader = new HandoffReader(alloc, SCHEMA, 1);
      VectorSchemaRoot src = VectorSchemaRoot.create(SCHEMA, alloc);
      fill(src, 0, 4);
      assertThat(reader.put(src)).isTrue();
      CompletableFuture<Boolean> blocked = putAsync(reader, alloc, 4, 4);
      Thread.sleep(100);
      reader.close();
      assertThat(blocked.get(5, TimeUnit.SECONDS)).isFalse();
      fill(src, 8, 2);
      assertThat(reader.put(src)).isFalse();
      src.close();
      assertThat(alloc.getAllocatedMemory()).isZero();
    }
  }
}
