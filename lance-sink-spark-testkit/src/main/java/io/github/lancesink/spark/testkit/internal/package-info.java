/** Internals of the Spark testkit; not a public API. */
package io.github.lancesink.spark.testkit.internal;
