package io.github.lancesink.spark.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalSpark.class)
class LocalSparkTest {

  /** Every test class of the JVM gets the same running local session with the defaults. */
  @Test
  void injectsTheSharedLocalSession(SparkSession spark) {
    assertThat(spark).isSameAs(LocalSpark.session());
    assertThat(spark.sparkContext().isStopped()).isFalse();
    assertThat(spark.sparkContext().master()).isEqualTo("local[2]");
    assertThat(spark.conf().get("spark.sql.session.timeZone")).isEqualTo("UTC");
    assertThat(spark.range(0, 10).count()).isEqualTo(10);
  }
}
