package io.github.lancesink.testkit.s3;

import io.github.lancesink.testkit.s3.ObjectStoreFaults.Fault;
import io.github.lancesink.testkit.s3.ObjectStoreFaults.Operation;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.gaul.s3proxy.PutOptions2;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.domain.Blob;
import org.jclouds.blobstore.domain.BlobMetadata;
import org.jclouds.blobstore.domain.MultipartPart;
import org.jclouds.blobstore.domain.MultipartUpload;
import org.jclouds.blobstore.domain.PageSet;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.options.CopyOptions;
import org.jclouds.blobstore.options.GetOptions;
import org.jclouds.blobstore.options.ListContainerOptions;
import org.jclouds.blobstore.options.PutOptions;
import org.jclouds.blobstore.util.ForwardingBlobStore;
import org.jclouds.http.HttpResponse;
import org.jclouds.http.HttpResponseException;
import org.jclouds.io.Payload;

/**
 * Wraps S3Proxy's storage backend: each object operation first consults {@link
 * ObjectStoreFaults}; uploads with {@code If-None-Match: *} are recorded and made atomic (S3Proxy
 * 3.0 checks the precondition before the upload, not together with it). S3Proxy turns a thrown
 * {@link HttpResponseException} into an HTTP error response with its status code.
 */
final class FaultInjectingBlobStore extends ForwardingBlobStore {
  private final ObjectStoreFaults faults;
  private final List<String> conditionalPuts = new CopyOnWriteArrayList<>();
  private final Object conditionalLock = new Object();

  FaultInjectingBlobStore(BlobStore delegate, ObjectStoreFaults faults) {
    super(delegate);
    this.faults = faults;
  }

  List<String> conditionalPuts() {
    return List.copyOf(conditionalPuts);
  }

  @Override
  public String putBlob(String container, Blob blob) {
    return putBlob(container, blob, PutOptions.NONE);
  }

  @Override
  public String putBlob(String container, Blob blob, PutOptions options) {
    String key = blob.getMetadata().getName();
    if (options instanceof PutOptions2 p && "*".equals(p.getIfNoneMatch())) {
      conditionalPuts.add(key);
      return around(Operation.PUT, key, () -> {
        synchronized (conditionalLock) {
          if (delegate().blobExists(container, key)) {
            throw error(412, "At least one of the pre-conditions you specified did not hold");
          }
          return super.putBlob(container, blob, options);
        }
      });
    }
    return around(Operation.PUT, key, () -> super.putBlob(container, blob, options));
  }

  @Override
  public String copyBlob(String fromContainer, String fromName, String toContainer,
      String toName, CopyOptions options) {
    return around(Operation.PUT, toName,
        () -> super.copyBlob(fromContainer, fromName, toContainer, toName, options));
  }

  @Override
  public MultipartUpload initiateMultipartUpload(
      String container, BlobMetadata metadata, PutOptions options) {
    return around(Operation.PUT, metadata.getName(),
        () -> super.initiateMultipartUpload(container, metadata, options));
  }

  @Override
  public MultipartPart uploadMultipartPart(MultipartUpload upload, int part, Payload payload) {
    return around(Operation.PUT, upload.blobName(),
        () -> super.uploadMultipartPart(upload, part, payload));
  }

  @Override
  public String completeMultipartUpload(MultipartUpload upload, List<MultipartPart> parts) {
    return around(Operation.PUT, upload.blobName(),
        () -> super.completeMultipartUpload(upload, parts));
  }

  @Override
  public Blob getBlob(String container, String name) {
    return around(Operation.GET, name, () -> super.getBlob(container, name));
  }

  @Override
  public Blob getBlob(String container, String name, GetOptions options) {
    return around(Operation.GET, name, () -> super.getBlob(container, name, options));
  }

  @Override
  public BlobMetadata blobMetadata(String container, String name) {
    return around(Operation.GET, name, () -> super.blobMetadata(container, name));
  }

  @Override
  public PageSet<? extends StorageMetadata> list(String container, ListContainerOptions options) {
    String prefix = options.getPrefix() != null ? options.getPrefix()
        : options.getDir() != null ? options.getDir() : "";
    return around(Operation.LIST, prefix, () -> super.list(container, options));
  }

  @Override
  public void removeBlob(String container, String name) {
    around(Operation.DELETE, name, () -> {
      super.removeBlob(container, name);
      return null;
    });
  }

  private <T> T around(Operation op, String key, Supplier<T> call) {
    faults.runHooks(op, key);
    Fault fault = faults.match(op, key);
    if (fault != null && fault != Fault.SLOW_DOWN_AFTER_SUCCESS) {
      throw error(fault);
    }
    T result = call.get();
    if (fault == Fault.SLOW_DOWN_AFTER_SUCCESS) {
      throw error(fault);
    }
    return result;
  }

  private static HttpResponseException error(Fault fault) {
    return switch (fault) {
      case SLOW_DOWN, SLOW_DOWN_AFTER_SUCCESS -> error(503, "SlowDown (injected)");
      case SERVICE_UNAVAILABLE -> error(503, "ServiceUnavailable (injected)");
      case INTERNAL_ERROR -> error(500, "InternalError (injected)");
    };
  }

  private static HttpResponseException error(int status, String message) {
    HttpResponse response = HttpResponse.builder().statusCode(status).message(message).build();
    return new HttpResponseException(message, null, response);
  }
}
