/**
 * An in-process, loopback-only S3-compatible server (S3Proxy) for tests that put the Lance
 * table in object storage, with fault injection at the object store.
 *
 * <p><b>Opt-in.</b> This package needs {@code org.gaul:s3proxy} on the test classpath. The
 * testkit declares it {@code <optional>true</optional>}, so a consumer adds it explicitly (the
 * version is pinned in the lance-sink BOM):
 *
 * <pre>{@code
 * <dependency>
 *   <groupId>org.gaul</groupId>
 *   <artifactId>s3proxy</artifactId>
 *   <scope>test</scope>
 * </dependency>
 * }</pre>
 *
 * @since 0.1.0
 */
package io.github.lancesink.testkit.s3;
