package io.github.lancesink.internal.partition;

import io.github.lancesink.partition.SourceFile;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** A short, stable hash of a partition's data files (sorted paths and sizes). */
public final class Fingerprints {
  private Fingerprints() {}

  public static String of(List<SourceFile> files) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      files.stream().sorted(java.util.Comparator.comparing(SourceFile::relativePath))
          .forEach(f -> md.update((f.relativePath() + "\t" + f.size() + "\n")
              .getBytes(StandardCharsets.UTF_8)));
      return HexFormat.of().formatHex(md.digest(), 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
