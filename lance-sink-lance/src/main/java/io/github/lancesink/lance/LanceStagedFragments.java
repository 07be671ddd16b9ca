package io.github.lancesink.lance;

import io.github.lancesink.spi.StagedFragments;
import java.util.List;
import java.util.Map;
import org.lance.FragmentMetadata;

/** Fragments written by the native adapter, not yet committed. Serializable. */
public record LanceStagedFragments(List<FragmentMetadata> fragments, long rows)
    implements StagedFragments {
  private static final long serialVersionUID = 1L;

  public LanceStagedFragments {
    fragments = List.copyOf(fragments);
  }

  @Override
  public int fragmentCount() {
    return fragments.size();
  }

  /**
   * Writes one batch through Lance's single-batch path: no C stream, which costs about 12%
   * more CPU per 10k-row fragment (see the engineering notes).
   */
  static LanceStagedFragments write(
      String uri, org.apache.arrow.vector.VectorSchemaRoot batch, Map<String, String> options) {
    List<FragmentMetadata> fragments = org.lance.Fragment.write()
        .datasetUri(uri)
        .allocator(batch.getFieldVectors().get(0).getAllocator())
        .data(batch)
        .storageOptions(options)
        .execute();
    long rows = 0;
    for (FragmentMetadata f : fragments) {
      rows += f.getPhysicalRows();
    }
    return new LanceStagedFragments(fragments, rows);
  }
}
