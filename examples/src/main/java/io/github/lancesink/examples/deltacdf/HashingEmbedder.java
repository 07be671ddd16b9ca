package io.github.lancesink.examples.deltacdf;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * STAND-IN EMBEDDER, NOT A MODEL. Turns text into a deterministic unit vector by hashing each
 * lower-cased word into one of {@code dimension} buckets with a +1/-1 sign (the "hashing trick"),
 * then normalising. Texts that share words get similar vectors, and the same text always gets
 * the same vector, which is all the demo needs to show that updates and deletes reach the Lance
 * index. It has no notion of meaning.
 *
 * <p>The demo uses {@link MiniLmEmbedder}, a real model; this stand-in is kept behind {@code
 * --embedder hashing} for fast smoke tests (no model load, microseconds per text).
 *
 * @since 0.1.0
 */
public final class HashingEmbedder implements TextEmbedder {
  private static final long serialVersionUID = 1L;

  private final int dimension;

  /** An embedder producing {@code dimension}-d float vectors. */
  public HashingEmbedder(int dimension) {
    if (dimension < 2) {
      throw new IllegalArgumentException("dimension must be >= 2, was " + dimension);
    }
    this.dimension = dimension;
  }

  @Override
  public String modelId() {
    return "hashing-trick-" + dimension + "@1";
  }

  @Override
  public int dimension() {
    return dimension;
  }

  /** The unit-length embedding of {@code text}; all zeros for text without words. */
  @Override
  public float[] embed(String text) {
    float[] v = new float[dimension];
    for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}-]+")) {
      if (word.isEmpty()) {
        continue;
      }
      long h = fnv1a(word);
      int bucket = (int) Math.floorMod(h, (long) dimension);
      v[bucket] += ((h >>> 63) == 0) ? 1f : -1f;
    }
    double norm = 0;
    for (float f : v) {
      norm += f * f;
    }
    if (norm > 0) {
      float inv = (float) (1 / Math.sqrt(norm));
      for (int i = 0; i < v.length; i++) {
        v[i] *= inv;
      }
    }
    return v;
  }

  private static long fnv1a(String s) {
    long h = 0xcbf29ce484222325L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }
}
