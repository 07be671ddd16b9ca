package io.github.lancesink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lancesink.policy.OptimizePolicy;
import io.github.lancesink.spi.LanceTable;
import org.junit.jupiter.api.Test;

/**
 * What a port cannot do is refused at {@code build()}, naming the port, the capability and the
 * fix, never discovered by a failed batch later.
 */
class PortCapabilitiesTest {

  /**
   * Purpose: a keyed write mode needs the keyed-writes capability. Steps: build upsert, cdc and
   * replaceGroups sinks on a port without it. Pass: IllegalStateException naming the port class,
   * "keyed writes", LanceTable.keyedWrites() and the fix (WriteMode.append()).
   */
  @Test
  void keyedModeOnAPortWithoutKeyedWritesIsRefusedAtBuild() {
    LanceTable port = PortStub.table(); // no capability at all
    for (WriteMode mode : new WriteMode[] {WriteMode.upsert("id"), WriteMode.cdc("id"),
        WriteMode.replaceGroups("g")}) {
      assertThatThrownBy(() -> LanceSink.builder().table(port).writerId("w").writeMode(mode)
          .optimizePolicy(OptimizePolicy.never()).build())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(port.getClass().getName())
          .hasMessageContaining("keyed writes")
          .hasMessageContaining("LanceTable.keyedWrites()")
          .hasMessageContaining("WriteMode.append()");
    }
  }

  /**
   * Purpose: any optimize policy but never() needs the maintenance capability. Steps: build with
   * the default policy on a port without it. Pass: IllegalStateException naming the port class,
   * "maintenance" and the fix (OptimizePolicy.never()).
   */
  @Test
  void optimizePolicyOnAPortWithoutMaintenanceIsRefusedAtBuild() {
    LanceTable port = PortStub.table("keyedWrites");
    assertThatThrownBy(() -> LanceSink.builder().table(port).writerId("w").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(port.getClass().getName())
        .hasMessageContaining("maintenance capability")
        .hasMessageContaining("LanceTable.maintenance()")
        .hasMessageContaining("optimizePolicy(OptimizePolicy.never())");
    assertThatThrownBy(() -> LanceSink.builder().table(port).writerId("w")
        .optimizePolicy(OptimizePolicy.builder().everyCommits(5).build()).build())
        .hasMessageContaining("maintenance capability");
  }

  /**
   * Purpose: the base port is enough for what needs no capability. Pass: append with never()
   * builds on a bare port; a keyed mode builds on a port with keyed writes only.
   */
  @Test
  void theBasePortIsEnoughForAppendWithoutMaintenance() {
    try (LanceSink sink = LanceSink.builder().table(PortStub.table()).writerId("w")
        .optimizePolicy(OptimizePolicy.never()).build()) {
      assertThat(sink.table().keyedWrites()).isEmpty();
    }
    try (LanceSink sink = LanceSink.builder().table(PortStub.table("keyedWrites"))
        .writerId("w").writeMode(WriteMode.upsert("id"))
        .optimizePolicy(OptimizePolicy.never()).build()) {
      assertThat(sink.table().keyedWrites()).isPresent();
    }
  }
}
