package io.github.lancesink.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lancesink.spi.KeyedChange;
import io.github.lancesink.spi.KeyedWrites;
import io.github.lancesink.spi.LanceTable;
import io.github.lancesink.spi.StagedFragments;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.Test;

/**
 * Purpose: the fault wrapper forwards every write-path call to the port it wraps, so a test
 * through it exercises the port's own code. Steps: wrap a recording proxy of the fake, stage a
 * batch as a {@link VectorSchemaRoot}, send a keyed prefetch hint, then arm a crash. Pass: the
 * port saw {@code writeFragments(VectorSchemaRoot)} itself (not the default's one-batch
 * reader) and {@code prefetchKeyed}; the crash points fire around the root overload too.
 */
class FaultInjectingTableTest {

  @Test
  void forwardsTheSingleBatchWriteAndThePrefetchHintWithCrashPoints() throws Exception {
    List<String> calls = new ArrayList<>();
    Faults faults = new Faults();
    try (InMemoryLanceTable fake = InMemoryLanceTable.create();
        RootAllocator allocator = new RootAllocator();
        ArrowReader reader = TestBatch.sequential(0, 3, 4).open(allocator)) {
      LanceTable wrapped = new FaultInjectingTable(recording(fake, calls), faults);
      assertThat(reader.loadNextBatch()).isTrue();
      VectorSchemaRoot root = reader.getVectorSchemaRoot();
      wrapped.createIfAbsent(root.getSchema());
      calls.clear();

      StagedFragments staged = wrapped.writeFragments(root);
      assertThat(staged.rows()).isEqualTo(3);
      KeyedChange change = new KeyedChange(List.of("id"), Set.of(List.of(1L)), Set.of());
      wrapped.keyedWrites().orElseThrow().prefetchKeyed(change);
      assertThat(calls).containsExactly("writeFragments(VectorSchemaRoot)", "prefetchKeyed");

      faults.crashAt(CrashPoint.BEFORE_WRITE);
      assertThatThrownBy(() -> wrapped.writeFragments(root)).isInstanceOf(SimulatedCrash.class);
      faults.crashAt(CrashPoint.AFTER_FRAGMENTS_WRITTEN);
      assertThatThrownBy(() -> wrapped.writeFragments(root)).isInstanceOf(SimulatedCrash.class);
      assertThat(calls).containsExactly("writeFragments(VectorSchemaRoot)", "prefetchKeyed",
          "writeFragments(VectorSchemaRoot)");
    }
  }

  /**
   * A proxy of {@code delegate} that records the write-path calls it receives, its keyed-writes
   * capability included.
   */
  private static LanceTable recording(LanceTable delegate, List<String> calls) {
    return (LanceTable) Proxy.newProxyInstance(LanceTable.class.getClassLoader(),
        new Class<?>[] {LanceTable.class}, (proxy, method, args) -> {
          record(method, calls);
          Object result = invoke(method, delegate, args);
          if (method.getName().equals("keyedWrites")) {
            return ((Optional<?>) result).map(keyed -> Proxy.newProxyInstance(
                KeyedWrites.class.getClassLoader(), new Class<?>[] {KeyedWrites.class},
                (p, m, a) -> {
                  record(m, calls);
                  return invoke(m, keyed, a);
                }));
          }
          return result;
        });
  }

  private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static void record(Method m, List<String> calls) {
    if (m.getName().equals("writeFragments") || m.getName().equals("prefetchKeyed")) {
      calls.add(m.getName().equals("prefetchKeyed") ? "prefetchKeyed"
          : "writeFragments(" + m.getParameterTypes()[0].getSimpleName() + ")");
    }
  }
}
