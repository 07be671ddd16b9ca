package io.github.lancesink.lance;

import io.github.lancesink.LanceSinkException;
import io.github.lancesink.internal.Errors;
import io.github.lancesink.internal.Redactor;
import java.util.Locale;
import java.util.Map;

/**
 * Classifies Lance's Java exceptions, which carry the Rust error kind only in their message, and
 * turns them into the sink's exceptions (scrubbed of credentials) in one place.
 *
 * <p>Lance's native calls can also throw checked exceptions (e.g. {@code java.io.IOException}
 * from {@code Dataset.open} on an unreachable store) without declaring them, so every call site
 * catches {@link Exception}: nothing unclassified or unscrubbed leaves the port.
 */
final class LanceErrors {
  private LanceErrors() {}

  /** A failed read or non-data commit: transient is retryable, anything else a port failure. */
  static LanceSinkException read(
      String operation, String displayUri, Map<String, String> storageOptions, Exception e) {
    if (e instanceof LanceSinkException l) {
      return l;
    }
    Throwable safe = Redactor.scrub(e, storageOptions);
    if (isTransient(e)) {
      return Errors.retryable(operation, displayUri, safe);
    }
    return Errors.port(operation, displayUri, safe);
  }

  /**
   * A failed data commit: a conflict means nothing landed; a transient error leaves the outcome
   * unknown (the sink reconciles through its ledger); anything else is a port failure.
   */
  static LanceSinkException commit(
      long readVersion, String displayUri, Map<String, String> storageOptions, Exception e) {
    Throwable safe = Redactor.scrub(e, storageOptions);
    if (isConflict(e)) {
      return Errors.conflict(displayUri, readVersion, safe);
    }
    if (isTransient(e)) {
      return Errors.stateUnknown(displayUri, safe);
    }
    return Errors.port("commit", displayUri, safe);
  }

  /**
   * A failed maintenance operation (already reconciled when it committed): a conflict or a
   * transient error is retried on maintenance's own schedule, anything else a port failure.
   */
  static LanceSinkException maintenance(
      String operation, String displayUri, Map<String, String> storageOptions, Exception e) {
    if (e instanceof LanceSinkException l) {
      return l;
    }
    if (isConflict(e)) {
      return Errors.conflict(displayUri, -1, Redactor.scrub(e, storageOptions));
    }
    return read(operation, displayUri, storageOptions, e);
  }

  static boolean isNotFound(Throwable e) {
    String m = text(e);
    return m.contains("not found")
        || m.contains("does not exist")
        || m.contains("no such file")
        || m.contains("datasetnotfound");
  }

  static boolean isConflict(Throwable e) {
    String m = text(e);
    return m.contains("conflict") || m.contains("incompatible") || m.contains("retryable commit");
  }

  /**
   * Errors that no retry can fix: bad credentials, missing permissions or bucket, or a store
   * that lacks a feature Lance needs (501, e.g. no conditional PUT). Object-store errors all
   * arrive as "Generic S3 error", so these are checked first.
   */
  static boolean isPermanent(Throwable e) {
    String m = text(e);
    return m.contains("403 forbidden")
        || m.contains("401 unauthorized")
        || m.contains("501 not implemented")
        || m.contains("accessdenied")
        || m.contains("invalidaccesskeyid")
        || m.contains("signaturedoesnotmatch")
        || m.contains("nosuchbucket")
        || m.contains("authorizationpermissionmismatch")
        || m.contains("authenticationfailed");
  }

  static boolean isTransient(Throwable e) {
    if (isPermanent(e)) {
      return false;
    }
    String m = text(e);
    return m.contains("timed out")
        || m.contains("timeout")
        || m.contains("connection")
        || m.contains("throttl")
        || m.contains("slow down")
        || m.contains("slowdown")
        || m.contains("too many requests")
        || m.contains("503")
        || m.contains("500 internal")
        || m.contains("service unavailable")
        || m.contains("temporarily")
        || m.contains("broken pipe")
        || m.contains("io error")
        || m.contains("object store error")
        || m.contains("generic s3 error");
  }

  /**
   * lance-core 7.0.0's Java binding cannot convert a Rewrite (compaction) transaction that
   * remaps an index: the native side calls a {@code RewrittenIndex} constructor with six
   * arguments, the jar's has five, and {@code readTransaction()} fails with this JNI error. The
   * signature names that constructor, which is built only for Rewrite operations, and the sink
   * never puts a marker in a Rewrite. So this one error proves "no marker here"; every other
   * read error fails closed.
   */
  static boolean isRewriteBindingDefect(Throwable e) {
    String m = text(e);
    return m.contains("invalid number or type of arguments passed to java method")
        && m.contains("(ljava/util/uuid;ljava/util/uuid;ljava/lang/string;[bii)v");
  }

  private static String text(Throwable e) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t = e; t != null && sb.length() < 8192; t = t.getCause()) {
      sb.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage()).append('\n');
      if (t.getCause() == t) {
        break;
      }
    }
    return sb.toString().toLowerCase(Locale.ROOT);
  }
}
