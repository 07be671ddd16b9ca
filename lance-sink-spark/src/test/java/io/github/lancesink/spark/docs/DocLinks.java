package io.github.lancesink.spark.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds relative Markdown links whose file or heading anchor (GitHub style) does not exist. */
final class DocLinks {
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

  private DocLinks() {}

  /** "file: target" for every broken relative link in {@code files}. */
  static List<String> broken(Path root, List<Path> files) {
    List<String> out = new ArrayList<>();
    for (Path f : files) {
      Matcher m = LINK.matcher(read(f));
      while (m.find()) {
        String target = m.group(1);
        if (target.matches("^[a-z]+:.*")) {
          continue; // http:, https:, mailto:
        }
        int hash = target.indexOf('#');
        String path = hash < 0 ? target : target.substring(0, hash);
        Path resolved = path.isEmpty() ? f : f.getParent().resolve(path).normalize();
        if (!Files.exists(resolved)) {
          out.add(root.relativize(f) + ": " + target + " (no such file)");
        } else if (hash >= 0 && resolved.toString().endsWith(".md")
            && !anchors(resolved).contains(target.substring(hash + 1))) {
          out.add(root.relativize(f) + ": " + target + " (no such heading)");
        }
      }
    }
    return out;
  }

  /** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
  static Set<String> anchors(Path md) {
    Set<String> out = new HashSet<>();
    boolean fence = false;
    for (String l : read(md).split("\n")) {
      if (l.startsWith("```")) {
        fence = !fence;
      } else if (!fence && l.startsWith("#")) {
        String t = l.replaceFirst("^#+", "").strip().toLowerCase(Locale.ROOT);
        out.add(t.replaceAll("[^\\p{L}\\p{N}_\\- ]", "").replace(' ', '-'));
      }
    }
    return out;
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
