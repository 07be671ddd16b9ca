package io.github.lancesink.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lancesink.internal.partition.PartitionScan;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class PartitionLayoutTest {
  private static final Instant T = Instant.parse("2026-05-04T10:05:00Z");

  @Test
  void defaultLayoutRoundTripsAndIsStrict() {
    PartitionLayout l = PartitionLayout.defaults();
    assertThat(l.format(T)).isEqualTo("dt=2026-05-04/hour=10/minute=05");
    assertThat(l.parse("dt=2026-05-04/hour=10/minute=05/")).isEqualTo(T);
    assertThat(l.format(T.plusSeconds(59))).isEqualTo("dt=2026-05-04/hour=10/minute=05");
    assertThat(l.depth()).isEqualTo(3);
    assertThat(l.granularity()).isEqualTo(Duration.ofMinutes(1));
    // not normalised: each of these is malformed
    for (String bad : List.of("dt=2026-05-04/hour=10/minute=5", "dt=2026-05-04/hour=24/minute=00",
        "dt=2026-02-30/hour=10/minute=05", "dt=garbage/hour=10/minute=05",
        "date=2026-05-04/hour=10/minute=05")) {
      assertThat(l.tryParse(bad)).as(bad).isEmpty();
    }
    assertThatThrownBy(() -> l.parse("dt=2026-05-04/hour=xx/minute=05"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'dt=2026-05-04/hour=xx/minute=05'")
        .hasMessageContaining("dt=2026-05-04/hour=10/minute=05");
  }

  @Test
  void customPatternsSetDepthGranularityAndZone() {
    PartitionLayout hourly = PartitionLayout.of("'date='uuuu-MM-dd'/hr='HH");
    assertThat(hourly.depth()).isEqualTo(2);
    assertThat(hourly.granularity()).isEqualTo(Duration.ofHours(1));
    assertThat(hourly.parse("date=2026-05-04/hr=10"))
        .isEqualTo(Instant.parse("2026-05-04T10:00:00Z"));
    PartitionLayout daily = PartitionLayout.of("uuuu/MM/dd");
    assertThat(daily.depth()).isEqualTo(3);
    assertThat(daily.granularity()).isEqualTo(Duration.ofDays(1));
    assertThat(daily.parse("2026/05/04")).isEqualTo(Instant.parse("2026-05-04T00:00:00Z"));
    PartitionLayout paris = PartitionLayout.defaults().withZone(ZoneId.of("Europe/Paris"));
    assertThat(paris.parse("dt=2026-05-04/hour=12/minute=05")).isEqualTo(T);
    assertThatThrownBy(() -> PartitionLayout.of("'dt='"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'dt='");
  }

  @Test
  void scanGroupsFilesHidesTempFilesAndNamesMalformedPaths() {
    Instant m = Instant.EPOCH;
    var scan = PartitionScan.of(List.of(
        new SourceFile("dt=2026-05-04/hour=10/minute=06/part-1.parquet", 10, m),
        new SourceFile("dt=2026-05-04/hour=10/minute=05/part-0.parquet", 10, m),
        new SourceFile("dt=2026-05-04/hour=10/minute=05/_SUCCESS", 0, m),
        new SourceFile("dt=2026-05-04/hour=10/minute=05/.part-0.parquet.crc", 1, m),
        new SourceFile("dt=2026-05-04/hour=10/minute=06/_temporary/0/part-2.parquet", 5, m),
        new SourceFile("dt=2026-05-04/hour=1O/minute=07/part-0.parquet", 10, m),
        new SourceFile("_spark_metadata/0", 10, m),
        new SourceFile("stray.parquet", 10, m)), PartitionLayout.defaults());
    assertThat(scan.partitions()).extracting(PartitionSnapshot::path).containsExactly(
        "dt=2026-05-04/hour=10/minute=05", "dt=2026-05-04/hour=10/minute=06");
    PartitionSnapshot first = scan.partitions().get(0);
    assertThat(first.successMarker()).isTrue();
    assertThat(first.dataFiles()).extracting(SourceFile::name).containsExactly("part-0.parquet");
    assertThat(scan.partitions().get(1).successMarker()).isFalse();
    assertThat(scan.partitions().get(1).fileCount()).isEqualTo(1);
    assertThat(scan.malformed()).containsOnlyKeys("dt=2026-05-04/hour=1O/minute=07",
        "stray.parquet");
    assertThat(scan.malformed().get("dt=2026-05-04/hour=1O/minute=07"))
        .contains("Malformed partition path 'dt=2026-05-04/hour=1O/minute=07'");
  }

  @Test
  void fingerprintChangesWhenAFileIsAddedOrRewritten() {
    Instant m = Instant.EPOCH;
    var a = new SourceFile("p/a.parquet", 10, m);
    var b = new SourceFile("p/b.parquet", 10, m);
    String one = new PartitionSnapshot(T, "p", List.of(a), false).fingerprint();
    assertThat(new PartitionSnapshot(T, "p", List.of(a), true).fingerprint()).isEqualTo(one);
    assertThat(new PartitionSnapshot(T, "p", List.of(a, b), false).fingerprint()).isNotEqualTo(one);
    assertThat(new PartitionSnapshot(T, "p", List.of(new SourceFile("p/a.parquet", 11, m)), false)
        .fingerprint()).isNotEqualTo(one);
    assertThat(new PartitionSnapshot(T, "p", List.of(b, a), false).fingerprint())
        .isEqualTo(new PartitionSnapshot(T, "p", List.of(a, b), false).fingerprint());
  }

  @Test
  void batchIdsEncodeThePartitionMinuteAndARevision() {
    long id = PartitionBatchIds.of(T);
    assertThat(id).isEqualTo(T.getEpochSecond() / 60 * 1000);
    assertThat(PartitionBatchIds.watermark(id)).isEqualTo(T);
    assertThat(PartitionBatchIds.watermark(id + 7)).isEqualTo(T);
    assertThat(PartitionBatchIds.revision(id + 7)).isEqualTo(7);
    assertThat(PartitionBatchIds.of(T.plusSeconds(60))).isGreaterThan(id + 999);
  }
}
