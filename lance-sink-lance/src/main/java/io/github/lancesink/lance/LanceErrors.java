package io.github.lancesink.lance;

import java.util.Locale;

/**
 * Classifies Lance's Java exceptions, which carry the Rust error kind only in their message.
 */
final class LanceErrors {
  private LanceErrors() {}

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
