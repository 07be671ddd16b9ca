package io.github.lancesink.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The contract suite's capability hooks cannot be left out by an adapter. */
class ContractHooksTest {
  /**
   * Purpose: a third-party adapter that forgets a capability hook must not silently skip the
   * race, compaction and cleanup tests. Pass: every {@code supports*} hook of the contract
   * support class is abstract (so leaving one out is a compile error), and there are exactly
   * the three known ones.
   */
  @Test
  void everyCapabilityHookIsAbstract() {
    Method[] hooks = Arrays.stream(LanceTableContractSupport.class.getDeclaredMethods())
        .filter(m -> m.getName().startsWith("supports")).toArray(Method[]::new);
    assertThat(hooks).extracting(Method::getName).containsExactlyInAnyOrder(
        "supportsConcurrentWriters", "supportsCompaction", "supportsCleanup");
    assertThat(hooks).allSatisfy(m -> assertThat(Modifier.isAbstract(m.getModifiers()))
        .as("%s is abstract", m.getName()).isTrue());
  }
}
