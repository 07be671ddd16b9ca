/**
 * Index vocabulary shared by the optimize policy ({@code io.github.lancesink.policy}) and the
 * table port ({@code io.github.lancesink.spi}): {@link io.github.lancesink.index.VectorIndexType}
 * and {@link io.github.lancesink.index.DistanceMetric}. It depends on nothing, so the port never
 * imports the policy package.
 *
 * @since 0.1.0
 */
package io.github.lancesink.index;
