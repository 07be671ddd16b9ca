package io.github.lancesink.examples.deltacdf;

import java.util.Arrays;

/**
 * One document as stored in both tables: key, revision, text and its embedding.
 *
 * @param id the key
 * @param rev how many times the document was re-written (0 when inserted)
 * @param text the document text
 * @param vector the embedding of {@code text}
 * @since 0.1.0
 */
public record Doc(long id, int rev, String text, float[] vector) {

  @Override
  public boolean equals(Object o) {
    return o instanceof Doc d && id == d.id && rev == d.rev && text.equals(d.text)
        && Arrays.equals(vector, d.vector);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(id) * 31 + rev;
  }

  @Override
  public String toString() {
    return "Doc{id=" + id + ", rev=" + rev + ", text='" + text + "', vector=float["
        + vector.length + "]}";
  }
}
