package io.github.lancesink.examples.deltacdf;

import java.util.Arrays;
import java.util.Objects;

/**
 * One listing as the Lance dataset holds it: key, revision, text, the embedding of the text and
 * the model that computed it.
 *
 * @param id the key
 * @param rev how many times the listing was re-written (0 when inserted)
 * @param text the listing text
 * @param vector the embedding of {@code text}
 * @param model the embedding model's name and version
 * @since 0.1.0
 */
public record Doc(long id, int rev, String text, float[] vector, String model) {

  @Override
  public boolean equals(Object o) {
    return o instanceof Doc d && id == d.id && rev == d.rev && text.equals(d.text)
        && Arrays.equals(vector, d.vector) && Objects.equals(model, d.model);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(id) * 31 + rev;
  }

  @Override
  public String toString() {
    return "Doc{id=" + id + ", rev=" + rev + ", text='" + text + "', vector=float["
        + vector.length + "] " + Arrays.hashCode(vector) + ", model=" + model + "}";
  }
}
