package io.github.lancesink.examples.deltacdf;

import java.io.Serializable;

/**
 * What the embedding stage needs from a model: a name that identifies the model AND its version
 * (stored next to every vector, so a model change can be detected and the affected rows
 * re-embedded), the vector length, and the embedding of one text.
 *
 * <p>Implementations are serialized into Spark tasks, so they must be small: hold the model in a
 * static, lazily initialised holder (one per executor JVM, see {@link MiniLmEmbedder}), never in
 * an instance field.
 *
 * @since 0.1.0
 */
public interface TextEmbedder extends Serializable {

  /** The model's name and version, e.g. {@code all-minilm-l6-v2-q@1.19.0-beta29}. */
  String modelId();

  /** The vector length. */
  int dimension();

  /** The embedding of {@code text}, {@link #dimension()} floats. */
  float[] embed(String text);

  /**
   * Loads the model into this JVM if it is not loaded yet. Returns how long the load took in
   * milliseconds to exactly one caller per JVM, and -1 to every other caller (and when there is
   * no model to load).
   */
  default long load() {
    return -1;
  }
}
