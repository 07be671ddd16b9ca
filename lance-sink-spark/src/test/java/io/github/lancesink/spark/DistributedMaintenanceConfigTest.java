package io.github.lancesink.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lancesink.LanceSinkSettings;
import io.github.lancesink.spark.internal.SparkSinkSettings;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How distributed maintenance is chosen and configured; no Spark job runs. */
class DistributedMaintenanceConfigTest {
  private static final LanceSinkSettings SETTINGS = LanceSinkSettings.builder()
      .tableUri("/tmp/none.lance").writerId("w").build();

  @AfterEach
  void unset() {
    SparkSession s = TestSpark.session();
    s.conf().unset(LanceSinkOptions.MAINTENANCE_EXECUTION);
    s.conf().unset(LanceSinkOptions.MAINTENANCE_POOL);
    s.conf().unset(LanceSinkOptions.MAINTENANCE_MAX_TASKS);
  }

  private static DistributedMaintenance resolved(LanceForeachBatch fn) throws Exception {
    var s = LanceForeachBatch.class.getDeclaredField("settings");
    s.setAccessible(true);
    var d = LanceForeachBatch.class.getDeclaredField("distributed");
    d.setAccessible(true);
    return ((SparkSinkSettings) s.get(fn)).distributed(TestSpark.session(),
        (DistributedMaintenance) d.get(fn));
  }

  /** Purpose: driver mode unless asked; the builder beats writer options beat the conf. */
  @Test
  void driverByDefaultThenConfThenWriterOptionThenBuilder() throws Exception {
    assertThat(resolved(LanceForeachBatch.builder().settings(SETTINGS).build())).isNull();

    TestSpark.session().conf().set(LanceSinkOptions.MAINTENANCE_EXECUTION, "Distributed");
    TestSpark.session().conf().set(LanceSinkOptions.MAINTENANCE_MAX_TASKS, "3");
    assertThat(resolved(LanceForeachBatch.builder().settings(SETTINGS).build()))
        .isEqualTo(DistributedMaintenance.builder().maxConcurrentTasks(3).build());

    assertThat(resolved(LanceForeachBatch.builder().settings(SETTINGS)
        .option(LanceSinkOptions.MAINTENANCE_EXECUTION, "driver").build())).isNull();
    assertThat(resolved(LanceForeachBatch.builder().settings(SETTINGS)
        .option(LanceSinkOptions.MAINTENANCE_POOL, "mine").build()).pool()).isEqualTo("mine");

    DistributedMaintenance explicit = DistributedMaintenance.builder().pool("p").build();
    assertThat(resolved(LanceForeachBatch.builder().settings(SETTINGS)
        .option(LanceSinkOptions.MAINTENANCE_EXECUTION, "driver")
        .distributedMaintenance(explicit).build())).isSameAs(explicit);
  }

  /** Purpose: bad values and combinations are refused, naming what was wrong. */
  @Test
  void badValuesAreRefused() {
    TestSpark.session().conf().set(LanceSinkOptions.MAINTENANCE_EXECUTION, "cluster");
    assertThatThrownBy(() -> resolved(LanceForeachBatch.builder().settings(SETTINGS).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(LanceSinkOptions.MAINTENANCE_EXECUTION)
        .hasMessageContaining("cluster");
    assertThatThrownBy(() -> DistributedMaintenance.builder().maxConcurrentTasks(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxConcurrentTasks");
    assertThatThrownBy(() -> DistributedMaintenance.builder().pool(" "))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pool");
    assertThatThrownBy(() -> DistributedMaintenance.builder().minRowsPerJob(-5))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minRowsPerJob");
    assertThatThrownBy(() -> LanceForeachBatch.builder()
        .settings(LanceSinkSettings.builder().writerId("w").build())
        .table(() -> null).distributedMaintenance(DistributedMaintenance.defaults()).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("table(factory)");
  }
}
