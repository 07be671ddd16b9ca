package io.github.lancesink.keyed;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lancesink.BatchResult;
import io.github.lancesink.LanceSink;
import io.github.lancesink.WriteMode;
import io.github.lancesink.policy.OptimizePolicy;
import io.github.lancesink.testkit.internal.KeyedRows;
import io.github.lancesink.testkit.internal.KeyedRows.Row;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Group replacement is atomic: no version of the table ever shows a mixed group. */
class ReplaceGroupsTest {
  @TempDir Path dir;

  /**
   * Purpose: a reader at any moment sees a group's old rows or its new rows, never a mix.
   * Steps: 15 batches each replace 1-3 random groups with a new generation of rows (a random
   * id set; val = generation * 1000 + id); then every version from 1 to the latest (including
   * index versions) is read back. Pass: every version shows exactly the groups of the batches
   * committed at or before it, each with exactly the rows of its latest such generation; no
   * group is ever missing, mixed or doubled.
   */
  @Test
  void everyVersionShowsWholeGroupsOnly() throws Exception {
    Random rnd = new Random(42);
    String[] groups = {"a", "b", "c", "d"};
    // group -> generation -> the (id -> val) rows of that generation
    Map<String, Map<Long, Map<Long, Long>>> written = new HashMap<>();
    Map<String, Long> current = new HashMap<>();
    // commit version -> the group generations that batch installed
    java.util.TreeMap<Long, Map<String, Long>> installs = new java.util.TreeMap<>();
    long nextId = 0;
    try (RootAllocator alloc = new RootAllocator();
        LanceSink sink = LanceSink.builder()
            .tableUri(dir.resolve("t.lance").toString())
            .writerId("groups")
            .writeMode(WriteMode.replaceGroups("grp"))
            .vectorColumn("vector", KeyedRows.DIM)
            .optimizePolicy(OptimizePolicy.never())
            .build()) {
      for (long batch = 1; batch <= 15; batch++) {
        KeyedRows b = KeyedRows.upsert().chunked(3);
        Set<String> chosen = new HashSet<>();
        int n = 1 + rnd.nextInt(3);
        while (chosen.size() < n) {
          chosen.add(groups[rnd.nextInt(groups.length)]);
        }
        for (String g : chosen) {
          Map<Long, Long> gen = new HashMap<>();
          int rows = 1 + rnd.nextInt(4);
          for (int i = 0; i < rows; i++) {
            long id = nextId++;
            gen.put(id, batch * 1000 + id);
            b.add(Row.grouped(id, g, batch * 1000 + id));
          }
          written.computeIfAbsent(g, k -> new HashMap<>()).put(batch, gen);
          current.put(g, batch);
        }
        try (ArrowReader r = b.reader(alloc)) {
          BatchResult res = sink.write(batch, r);
          assertThat(res.committed()).isTrue();
          Map<String, Long> gens = new HashMap<>();
          chosen.forEach(g -> gens.put(g, current.get(g)));
          installs.put(res.version().getAsLong(), gens);
        }
      }
      long latest = sink.table().latestVersion().getAsLong();
      assertThat(latest).isGreaterThan(15);
      for (long v = 1; v <= latest; v++) {
        Map<String, Long> state = new HashMap<>();
        installs.headMap(v, true).values().forEach(state::putAll);
        Map<String, Map<Long, Long>> expected = new HashMap<>();
        state.forEach((g, gen) -> expected.put(g, written.get(g).get(gen)));
        assertThat(readGroups(sink, v)).as("groups visible at version %d", v)
            .isEqualTo(expected);
      }
      Map<String, Map<Long, Long>> last = readGroups(sink, latest);
      assertThat(last.keySet()).isEqualTo(current.keySet());
      current.forEach((g, gen) -> assertThat(last.get(g)).isEqualTo(written.get(g).get(gen)));
    }
  }

  private static Map<String, Map<Long, Long>> readGroups(LanceSink sink, long version) {
    Map<String, Map<Long, Long>> out = new HashMap<>();
    KeyedRows.readRows(sink.table(), OptionalLong.of(version), List.of("id", "grp", "val"),
        root -> {
          BigIntVector id = (BigIntVector) root.getVector("id");
          VarCharVector grp = (VarCharVector) root.getVector("grp");
          BigIntVector val = (BigIntVector) root.getVector("val");
          for (int i = 0; i < root.getRowCount(); i++) {
            out.computeIfAbsent(grp.getObject(i).toString(), k -> new HashMap<>())
                .put(id.get(i), val.get(i));
          }
        });
    return out;
  }
}
