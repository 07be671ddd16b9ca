package io.github.lancesink.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Keeps credentials out of messages, logs and {@code toString}. */
public final class Redactor {
  public static final String MASK = "****";

  /** Storage option keys whose values are safe to print. Everything else is masked. */
  private static final Set<String> PUBLIC_KEYS =
      Set.of(
          "region",
          "aws_region",
          "endpoint",
          "aws_endpoint",
          "allow_http",
          "aws_allow_http",
          "virtual_hosted_style_request",
          "aws_virtual_hosted_style_request",
          "conditional_put",
          "aws_conditional_put",
          "s3_express",
          "account_name",
          "azure_storage_account_name",
          "timeout",
          "connect_timeout",
          // Lance / object_store client tuning: never secret, and masking short values such as
          // "0" would garble every digit of an error message.
          "client_max_retries",
          "client_retry_timeout",
          "request_timeout",
          "download_retry_count",
          "allow_invalid_certificates",
          "aws_unsigned_payload",
          "aws_skip_signature",
          "aws_checksum_algorithm",
          "aws_imdsv1_fallback",
          "user_agent");

  private Redactor() {}

  /** The URI without user info, query or fragment: {@code s3://bucket/path}. */
  public static String uri(String uri) {
    if (uri == null) {
      return "null";
    }
    int scheme = uri.indexOf("://");
    if (scheme <= 1) {
      return uri; // a local path (or a Windows drive letter)
    }
    String rest = uri.substring(scheme + 3);
    int cut = indexOfAny(rest, '?', '#');
    if (cut >= 0) {
      rest = rest.substring(0, cut);
    }
    int slash = rest.indexOf('/');
    String authority = slash >= 0 ? rest.substring(0, slash) : rest;
    String path = slash >= 0 ? rest.substring(slash) : "";
    int at = authority.lastIndexOf('@');
    if (at < 0 && path.contains("@")) {
      // a secret containing '/' splits the user info: treat up to the last '@' as user info
      int pathAt = rest.lastIndexOf('@');
      String afterAt = rest.substring(pathAt + 1);
      int s2 = afterAt.indexOf('/');
      authority = s2 >= 0 ? afterAt.substring(0, s2) : afterAt;
      path = s2 >= 0 ? afterAt.substring(s2) : "";
    } else if (at >= 0) {
      authority = authority.substring(at + 1);
    }
    return uri.substring(0, scheme) + "://" + authority + path;
  }

  private static int indexOfAny(String s, char a, char b) {
    int i = s.indexOf(a);
    int j = s.indexOf(b);
    return i < 0 ? j : (j < 0 ? i : Math.min(i, j));
  }

  /** A printable copy of storage options: public keys keep their value, all others are masked. */
  public static Map<String, String> options(Map<String, String> options) {
    Map<String, String> out = new TreeMap<>();
    options.forEach((k, v) -> out.put(k, isPublic(k) ? v : MASK));
    return out;
  }

  private static boolean isPublic(String key) {
    return PUBLIC_KEYS.contains(key.toLowerCase(java.util.Locale.ROOT));
  }

  /**
   * Replaces every secret value of {@code options} that occurs in {@code text} with the mask.
   * Values of public keys are left alone; very short values are masked too.
   */
  public static String scrub(String text, Map<String, String> options) {
    if (text == null || options.isEmpty()) {
      return text;
    }
    List<String> secrets = new ArrayList<>();
    options.forEach(
        (k, v) -> {
          if (!isPublic(k) && v != null && !v.isEmpty()) {
            secrets.add(v);
          }
        });
    secrets.sort(Comparator.comparingInt(String::length).reversed());
    String out = text;
    for (String s : secrets) {
      out = out.replace(s, MASK);
    }
    return out;
  }

  /**
   * A copy of {@code error} and its causes whose messages are scrubbed of secrets. The copies
   * keep the original class name in their message and the original stack traces.
   */
  public static Throwable scrub(Throwable error, Map<String, String> options) {
    if (error == null) {
      return null;
    }
    Throwable cause = error.getCause() == error ? null : scrub(error.getCause(), options);
    ScrubbedException copy =
        new ScrubbedException(
            error.getClass().getName() + ": " + scrub(String.valueOf(error.getMessage()), options),
            cause);
    copy.setStackTrace(error.getStackTrace());
    return copy;
  }

  /** Stand-in for a third-party exception whose message was scrubbed of credentials. */
  public static final class ScrubbedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ScrubbedException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
