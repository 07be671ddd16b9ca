package io.github.lancesink.testkit.s3;

import io.github.lancesink.testkit.s3.ObjectStoreFaults.Fault;
import io.github.lancesink.testkit.s3.ObjectStoreFaults.Operation;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Wraps S3Proxy's storage backend (as a {@link ForwardingBlobStore}, so S3Proxy still sees the
 * backend's native features such as {@code If-None-Match}): each object operation first
 * consults {@link ObjectStoreFaults}, and conditional uploads are recorded. S3Proxy turns the
 * thrown {@link S3Exception} into a real S3 error response.
 */
final class FaultInjectingBlobStore extends ForwardingBlobStore {
  private final ObjectStoreFaults faults;
  private final List<String> conditionalPuts = new CopyOnWriteArrayList<>();

  FaultInjectingBlobStore(BlobStore delegate, ObjectStoreFaults faults) {
    super(delegate);
    this.faults = faults;
  }

  List<String> conditionalPuts() {
    return List.copyOf(conditionalPuts);
  }

  @Override
  public PutObjectResponse putBlob(PutObjectRequest request, InputStream input) {
    if ("*".equals(request.ifNoneMatch())) {
      conditionalPuts.add(request.key());
    }
    return around(Operation.PUT, request.key(), () -> super.putBlob(request, input));
  }

  @Override
  public CopyObjectResponse copyBlob(CopyObjectRequest request) {
    return around(Operation.PUT, request.destinationKey(), () -> super.copyBlob(request));
  }

  @Override
  public MultipartUpload initiateMultipartUpload(CreateMultipartUploadRequest request) {
    return around(Operation.PUT, request.key(), () -> super.initiateMultipartUpload(request));
  }

  @Override
  public UploadPartResponse uploadMultipartPart(
      MultipartUpload upload, UploadPartRequest request, InputStream input) {
    return around(Operation.PUT, upload.blobName(),
        () -> super.uploadMultipartPart(upload, request, input));
  }

  @Override
  public CompleteMultipartUploadResponse completeMultipartUpload(
      MultipartUpload upload, CompleteMultipartUploadRequest request) {
    return around(Operation.PUT, upload.blobName(),
        () -> super.completeMultipartUpload(upload, request));
  }

  @Override
  public ResponseInputStream<GetObjectResponse> getBlob(GetObjectRequest request) {
    return around(Operation.GET, request.key(), () -> super.getBlob(request));
  }

  @Override
  public HeadObjectResponse blobMetadata(HeadObjectRequest request) {
    return around(Operation.GET, request.key(), () -> super.blobMetadata(request));
  }

  @Override
  public ListObjectsV2Response list(ListObjectsV2Request request) {
    String prefix = request.prefix() == null ? "" : request.prefix();
    return around(Operation.LIST, prefix, () -> super.list(request));
  }

  @Override
  public DeleteObjectResponse removeBlob(DeleteObjectRequest request) {
    return around(Operation.DELETE, request.key(), () -> super.removeBlob(request));
  }

  private <T> T around(Operation op, String key, Supplier<T> call) {
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

  private static S3Exception error(Fault fault) {
    int status = fault == Fault.INTERNAL_ERROR ? 500 : 503;
    String code =
        switch (fault) {
          case SLOW_DOWN, SLOW_DOWN_AFTER_SUCCESS -> "SlowDown";
          case SERVICE_UNAVAILABLE -> "ServiceUnavailable";
          case INTERNAL_ERROR -> "InternalError";
        };
    return (S3Exception)
        S3Exception.builder()
            .statusCode(status)
            .message("injected fault: " + code)
            .awsErrorDetails(
                AwsErrorDetails.builder().errorCode(code).errorMessage("injected " + code).build())
            .build();
  }
}
