package dev.junction.connector.s3;

import dev.junction.engine.connector.CallContext;
import dev.junction.engine.connector.ConnectorContext;
import dev.junction.engine.connector.ConnectorDescriptor;
import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.ConnectorSession;
import dev.junction.engine.connector.OperationInput;
import dev.junction.engine.connector.TestResult;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One S3 client per connection (the JDK's HTTP stack, no Netty or Apache client), built without
 * network calls and closed with the session. Every call first passes the outbound address policy
 * for the store's host. Thread-safe, as the SDK client is.
 */
final class S3Session implements ConnectorSession {
    private final S3Settings settings;
    private final ConnectorContext context;
    private final S3Client s3;

    S3Session(S3Settings settings, ConnectorContext context) {
        this.settings = settings;
        this.context = context;
        AwsCredentialsProvider credentials = settings.accessKeyId() == null
                ? AnonymousCredentialsProvider.create()
                : StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(settings.accessKeyId(), settings.secretAccessKey()));
        var builder = S3Client.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials)
                .forcePathStyle(settings.pathStyle())
                // S3-compatible stores do not all know the SDK's newer default checksums
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(settings.timeout())
                        .socketTimeout(settings.timeout())
                        .build())
                .overrideConfiguration(o -> o.apiCallTimeout(settings.timeout().multipliedBy(2)));
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint());
        }
        this.s3 = builder.build();
    }

    @Override
    public Object invoke(String operation, Object input, CallContext call) throws ConnectorException {
        OperationInput in = OperationInput.of("s3", operation, input);
        context.addresses().check(settings.host());
        S3Objects objects = new S3Objects(s3, settings.bucket());
        return switch (operation) {
            case "get" -> objects.get(in);
            case "put" -> objects.put(in);
            case "list" -> objects.list(in);
            case "delete" -> objects.delete(in);
            case "newObjects" -> objects.newObjects(in);
            default ->
                throw new ConnectorException(
                        "OPERATION_NOT_FOUND",
                        "the s3 connector has no operation '%s'; it has get, put, list, delete and newObjects"
                                .formatted(operation),
                        false);
        };
    }

    @Override
    public TestResult test() {
        long start = System.nanoTime();
        try {
            context.addresses().check(settings.host());
            s3.headBucket(b -> b.bucket(settings.bucket()));
            return TestResult.ok(
                    Duration.ofNanos(System.nanoTime() - start),
                    "bucket '%s' is reachable at %s".formatted(settings.bucket(), settings.host()));
        } catch (ConnectorException e) {
            return TestResult.failed(Duration.ofNanos(System.nanoTime() - start), e);
        } catch (SdkException e) {
            return TestResult.failed(
                    Duration.ofNanos(System.nanoTime() - start),
                    S3Errors.of(e, "checking bucket '%s'".formatted(settings.bucket())));
        }
    }

    @Override
    public List<ConnectorDescriptor.Operation> operations() {
        return S3Connector.DESCRIPTOR.operations();
    }

    @Override
    public void close() {
        s3.close();
    }
}
