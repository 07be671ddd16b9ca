package io.github.lancesink.internal.lance;

import io.github.lancesink.spi.StagedFragments;
import java.util.List;
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
}
