package io.github.lancesink.testkit.s3;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.options.ListContainerOptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that runs an S3-compatible server (S3Proxy) in-process, bound to {@code
 * 127.0.0.1} on an ephemeral port and backed by a temporary directory, with one bucket created
 * and fresh random credentials. Register it on a {@code static} field to share one server per
 * test class, or on an instance field for one server per test:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final S3ProxyExtension S3 = S3ProxyExtension.builder().build();
 *
 * LanceSink sink = LanceSink.builder()
 *     .tableUri(S3.uri("items.lance"))          // s3://<bucket>/items.lance
 *     .storageOptions(S3.storageOptions())     // endpoint, region, keys, allow_http
 *     ...
 * }</pre>
 *
 * <p>Requires {@code org.gaul:s3proxy} on the test classpath (an optional dependency of the
 * testkit; see the package documentation). {@link #faults()} injects S3 errors and connection
 * resets (clients reach the server through a loopback relay); {@link
 * #conditionalPuts()} shows which uploads carried {@code If-None-Match: *}. It can also be
 * used without JUnit through {@link #start()} and {@link #close()}.
 *
 * @since 0.1.0
 */
public final class S3ProxyExtension
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback,
        AutoCloseable {
  /** The default bucket name. */
  public static final String DEFAULT_BUCKET = "lance-test";
  /** The region reported to clients. */
  public static final String REGION = "us-east-1";

  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String bucket;
  private final Storage storage;
  private final String accessKey = "AKIA" + random(16, ALNUM);
  private final String secretKey = random(40, ALNUM + "abcdefghijklmnopqrstuvwxyz");
  private final String sessionToken = "IQoJ" + random(60, ALNUM + "abcdefghijklmnopqrstuvwxyz");
  private final ObjectStoreFaults faults = new ObjectStoreFaults();
  private final Map<String, String> extraOptions;

  private S3Proxy server;
  private BlobStoreContext context;
  private BlobStore blobStore;
  private FaultInjectingBlobStore injector;
  private ResettingProxy relay;
  private Path directory;
  private URI endpoint;
  private boolean perTest;

  /** Where the server keeps objects. */
  public enum Storage {
    /** Files under a temporary directory, deleted on stop (the default). */
    FILESYSTEM,
    /** In memory. */
    IN_MEMORY
  }

  private S3ProxyExtension(Builder b) {
    this.bucket = b.bucket;
    this.storage = b.storage;
    this.extraOptions = Map.copyOf(b.extraOptions);
  }

  /** A builder with the default bucket and filesystem storage. */
  public static Builder builder() {
    return new Builder();
  }

  /** Starts the server (idempotent). Called by JUnit; call it yourself outside JUnit. */
  public synchronized void start() {
    if (server != null) {
      return;
    }
    try {
      Properties props = new Properties();
      String provider = storage == Storage.FILESYSTEM ? "filesystem" : "transient";
      if (storage == Storage.FILESYSTEM) {
        directory = Files.createTempDirectory("lance-sink-s3proxy");
        props.setProperty("jclouds.filesystem.basedir", directory.toString());
      }
      context = ContextBuilder.newBuilder(provider).overrides(props)
          .build(BlobStoreContext.class);
      blobStore = context.getBlobStore();
      injector = new FaultInjectingBlobStore(blobStore, faults);
      server =
          S3Proxy.builder()
              .blobStore(injector)
              .endpoint(URI.create("http://127.0.0.1:0"))
              .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
              .ignoreUnknownHeaders(true)
              .build();
      // start() returns once Jetty has started (it runs Jetty's synchronous Server.start()), or
      // throws: no polling against a wall-clock deadline, which a loaded machine can miss.
      server.start();
      if (!"STARTED".equals(server.getState())) {
        throw new IllegalStateException("S3Proxy.start() returned in state "
            + server.getState() + " instead of STARTED");
      }
      // Clients talk to a relay that can reset connections; it forwards to S3Proxy.
      relay = new ResettingProxy(server.getPort(), faults);
      endpoint = URI.create("http://127.0.0.1:" + relay.port());
      blobStore.createContainerInLocation(null, bucket);
    } catch (IOException e) {
      stopQuietly();
      throw new UncheckedIOException("cannot create the S3Proxy storage directory", e);
    } catch (Exception e) {
      stopQuietly();
      throw new IllegalStateException("cannot start S3Proxy on 127.0.0.1: " + e.getMessage(), e);
    }
  }

  /** Stops the server and deletes its storage. Idempotent. */
  @Override
  public synchronized void close() {
    stopQuietly();
  }

  private void stopQuietly() {
    if (relay != null) {
      relay.close();
      relay = null;
    }
    try {
      if (server != null) {
        server.stop();
      }
    } catch (Exception ignored) {
      // best effort: the JVM is about to drop the server anyway
    }
    server = null;
    if (context != null) {
      context.close();
      context = null;
      blobStore = null;
    }
    if (directory != null) {
      deleteTree(directory);
      directory = null;
    }
    endpoint = null;
    faults.clear();
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  @Override
  public synchronized void beforeEach(ExtensionContext context) {
    if (server == null) {
      perTest = true;
      start();
    }
    faults.clear();
  }

  @Override
  public synchronized void afterEach(ExtensionContext context) {
    faults.clear();
    if (perTest) {
      perTest = false;
      close();
    }
  }

  /** {@code http://127.0.0.1:<port>}. */
  public synchronized URI endpoint() {
    if (endpoint == null) {
      throw new IllegalStateException("S3Proxy is not running; register the extension or start()");
    }
    return endpoint;
  }

  public String bucket() {
    return bucket;
  }

  /** The access key id the server accepts (random per extension instance). */
  public String accessKey() {
    return accessKey;
  }

  /** The secret access key the server accepts (random per extension instance). */
  public String secretKey() {
    return secretKey;
  }

  /** A session token value sent along by {@link #storageOptions()} (the server ignores it). */
  public String sessionToken() {
    return sessionToken;
  }

  /** {@code s3://<bucket>/<path>}. */
  public String uri(String path) {
    Objects.requireNonNull(path, "path");
    return "s3://" + bucket + "/" + (path.startsWith("/") ? path.substring(1) : path);
  }

  /** Creates another bucket on the running server. */
  public void createBucket(String name) {
    if (name == null || !BUCKET.matcher(name).matches()) {
      throw new IllegalArgumentException("not a valid S3 bucket name: '" + name + "'");
    }
    running().createContainerInLocation(null, name);
  }

  /**
   * Lance storage options for this server: keys, session token, endpoint, region, {@code
   * allow_http} (loopback is plain HTTP) and any options added through the builder.
   */
  public Map<String, String> storageOptions() {
    Map<String, String> o = new LinkedHashMap<>();
    o.put("aws_access_key_id", accessKey);
    o.put("aws_secret_access_key", secretKey);
    o.put("aws_session_token", sessionToken);
    o.put("aws_endpoint", endpoint().toString());
    o.put("aws_region", REGION);
    o.put("allow_http", "true");
    o.putAll(extraOptions);
    return Map.copyOf(o);
  }

  /** Failures to inject; cleared before and after every test. */
  public ObjectStoreFaults faults() {
    return faults;
  }

  /** Keys of the uploads that carried {@code If-None-Match: *}, in order. */
  public synchronized List<String> conditionalPuts() {
    return injector == null ? List.of() : injector.conditionalPuts();
  }

  /** Object keys in the bucket that start with {@code prefix}. */
  public List<String> keys(String prefix) {
    return running().list(bucket, ListContainerOptions.Builder.prefix(prefix).recursive())
        .stream().map(StorageMetadata::getName).filter(n -> n.startsWith(prefix)).sorted()
        .toList();
  }

  /** Writes an object directly into the bucket, bypassing S3 (and fault injection). */
  public void putObject(String key, byte[] content) {
    BlobStore store = running();
    store.putBlob(bucket, store.blobBuilder(key).payload(content).build());
  }

  /** The content of an object in the bucket, or empty when it does not exist. */
  public java.util.Optional<byte[]> object(String key) {
    var blob = running().getBlob(bucket, key);
    if (blob == null) {
      return java.util.Optional.empty();
    }
    try (var in = blob.getPayload().openStream()) {
      return java.util.Optional.of(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + key, e);
    }
  }

  private synchronized BlobStore running() {
    if (blobStore == null) {
      throw new IllegalStateException("S3Proxy is not running; register the extension or start()");
    }
    return blobStore;
  }

  @Override
  public synchronized String toString() {
    return "S3ProxyExtension{endpoint=" + endpoint + ", bucket=" + bucket + ", storage="
        + storage + ", credentials=****}";
  }

  private static String random(int n, String alphabet) {
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    return sb.toString();
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a leftover temp directory is harmless
    }
  }

  /** Configures an {@link S3ProxyExtension}. */
  public static final class Builder {
    private String bucket = DEFAULT_BUCKET;
    private Storage storage = Storage.FILESYSTEM;
    private final Map<String, String> extraOptions = new LinkedHashMap<>();

    private Builder() {}

    /** The bucket created at start (3-63 characters of {@code [a-z0-9.-]}). */
    public Builder bucket(String name) {
      if (name == null || !BUCKET.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "bucket must be 3-63 characters of [a-z0-9.-] starting and ending with a letter or"
                + " digit, was '" + name + "'");
      }
      this.bucket = name;
      return this;
    }

    public Builder storage(Storage storage) {
      this.storage = Objects.requireNonNull(storage, "storage");
      return this;
    }

    /**
     * An extra Lance storage option returned by {@link #storageOptions()}, e.g. {@code
     * client_max_retries} to make the object store client give up sooner in fault tests.
     */
    public Builder storageOption(String key, String value) {
      if (key == null || key.isBlank() || value == null) {
        throw new IllegalArgumentException("storage option key must be non-blank, value non-null");
      }
      extraOptions.put(key, value);
      return this;
    }

    public S3ProxyExtension build() {
      return new S3ProxyExtension(this);
    }
  }
}
