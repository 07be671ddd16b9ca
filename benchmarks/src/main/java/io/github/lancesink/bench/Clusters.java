package io.github.lancesink.bench;

import java.util.SplittableRandom;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;

/** Embedding-like data: 256 Gaussian cluster centres, rows = centre + noise. Deterministic. */
final class Clusters {
  final int dim;
  private final float[][] centres;

  Clusters(int dim, long seed) {
    this.dim = dim;
    SplittableRandom r = new SplittableRandom(seed);
    centres = new float[256][dim];
    for (float[] c : centres) {
      for (int j = 0; j < dim; j++) {
        c[j] = (float) r.nextGaussian();
      }
    }
  }

  float[] query(int n) {
    SplittableRandom r = new SplittableRandom(1_000_003L * (n + 1));
    float[] c = centres[r.nextInt(centres.length)];
    float[] q = new float[dim];
    for (int j = 0; j < dim; j++) {
      q[j] = c[j] + (float) (0.35 * r.nextGaussian());
    }
    return q;
  }

  VectorSchemaRoot batch(BufferAllocator alloc, long firstId, int rows, long seed) {
    VectorSchemaRoot root = BenchData.batch(alloc, firstId, rows, dim, seed);
    FixedSizeListVector vec = (FixedSizeListVector) root.getVector("vector");
    Float4Vector vals = (Float4Vector) vec.getDataVector();
    SplittableRandom r = new SplittableRandom(seed * 31 + 17);
    for (int i = 0; i < rows; i++) {
      float[] c = centres[r.nextInt(centres.length)];
      for (int j = 0; j < dim; j++) {
        vals.set(i * dim + j, c[j] + 0.35f * vals.get(i * dim + j));
      }
    }
    return root;
  }
}
