/**
 * Immutable policies: {@link io.github.lancesink.policy.RetryPolicy} (how failures with no effect
 * are retried) and {@link io.github.lancesink.policy.OptimizePolicy} (when compaction, index
 * upkeep and cleanup run).
 *
 * @since 0.1.0
 */
package io.github.lancesink.policy;
