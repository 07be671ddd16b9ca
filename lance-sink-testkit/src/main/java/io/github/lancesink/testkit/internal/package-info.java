/**
 * Implementation of the testkit's in-memory table. Not public API: may change without notice.
 */
package io.github.lancesink.testkit.internal;
