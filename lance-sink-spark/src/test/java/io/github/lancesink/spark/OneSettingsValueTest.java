package io.github.lancesink.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lancesink.LanceSinkSettings;
import io.github.lancesink.spark.partition.SparkPartitionRunner;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Purpose: a new sink setting is one edit, in {@link LanceSinkSettings.Builder}, never a copy in
 * the Spark builders. Steps: list the public setters of the settings builder and of both Spark
 * builders by reflection. Pass: the Spark builders share no setter name with the settings
 * builder, and each accepts the whole value through {@code settings(LanceSinkSettings)}.
 */
class OneSettingsValueTest {

  static Set<String> publicMethods(Class<?> c) {
    return Arrays.stream(c.getDeclaredMethods())
        .filter(m -> Modifier.isPublic(m.getModifiers()) && !m.isSynthetic())
        .map(Method::getName).collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void sparkBuildersHaveNoSinkSettersOfTheirOwn() throws Exception {
    Set<String> settingSetters = publicMethods(LanceSinkSettings.Builder.class);
    settingSetters.remove("build");
    assertThat(settingSetters).contains("writerId", "tableUri", "vectorColumn", "lookback");
    for (Class<?> spark : new Class<?>[] {
        LanceForeachBatch.Builder.class, SparkPartitionRunner.Builder.class}) {
      assertThat(publicMethods(spark)).as(spark.getName()).doesNotContainAnyElementsOf(
          settingSetters);
      assertThat(spark.getMethod("settings", LanceSinkSettings.class).getReturnType())
          .isEqualTo(spark);
    }
  }
}
