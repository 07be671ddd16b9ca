/**
 * Test support for pipelines built on lance-sink, with no Spark and no native code needed.
 *
 * @since 0.1.0
 */
package io.github.lancesink.testkit;
