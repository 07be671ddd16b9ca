package io.github.lancesink.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A markdown result table that is printed and written under {@code benchmarks/results/}. */
final class Results {
  private final String title;
  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  Results(String title, String... header) {
    this.title = title;
    this.header = List.of(header);
  }

  Results row(Object... cells) {
    rows.add(Arrays.stream(cells).map(Results::fmt).toList());
    return this;
  }

  Results note(String note) {
    notes.add(note);
    return this;
  }

  static String fmt(Object o) {
    if (o instanceof Double d) {
      return Math.abs(d) >= 100 ? String.format("%.0f", d) : String.format("%.3f", d);
    }
    return String.valueOf(o);
  }

  static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  static double percentile(double[] xs, double p) {
    double[] s = xs.clone();
    Arrays.sort(s);
    int idx = (int) Math.ceil(p / 100.0 * s.length) - 1;
    return s[Math.max(0, Math.min(s.length - 1, idx))];
  }

  String render() {
    StringBuilder sb = new StringBuilder();
    sb.append("## ").append(title).append("\n\n");
    sb.append("| ").append(String.join(" | ", header)).append(" |\n");
    sb.append("|").append("---|".repeat(header.size())).append("\n");
    for (List<String> r : rows) {
      sb.append("| ").append(String.join(" | ", r)).append(" |\n");
    }
    if (!notes.isEmpty()) {
      sb.append("\n");
      for (String n : notes) {
        sb.append("- ").append(n).append("\n");
      }
    }
    return sb.toString();
  }

  /** Prints the table and writes it to {@code results/<file>.md} (relative to the module). */
  void write(String file) throws IOException {
    writeAll(file, "", List.of(this));
  }

  /** Prints a preamble and several tables and writes them to {@code results/<file>.md}. */
  static void writeAll(String file, String preamble, List<Results> tables) throws IOException {
    String machine =
        "Machine: " + Runtime.getRuntime().availableProcessors() + " cores, Java "
            + System.getProperty("java.version") + ", max heap "
            + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB. Run at "
            + LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME) + ".\n";
    StringBuilder body = new StringBuilder(preamble);
    for (Results t : tables) {
      body.append(t.render()).append("\n");
    }
    String text = body + machine;
    System.out.println(text);
    Path out = Path.of("results", file + ".md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, text);
    System.out.println("written to " + out.toAbsolutePath());
  }
}
