package dev.junction.connector.s3;

import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.OperationInput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The object operations on one bucket. Each method answers a JSON-like map. */
final class S3Objects {
    /** The largest object {@code get} reads into a step's output. */
    static final long MAX_GET_BYTES = 32L * 1024 * 1024;
    /** The most objects {@code newObjects} lists under one prefix in one poll. */
    static final int MAX_LISTED = 100_000;

    private final S3Client s3;
    private final String bucket;

    S3Objects(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    Map<String, Object> get(OperationInput in) throws ConnectorException {
        String key = in.required("key", "an object key such as orders/42.json");
        boolean base64 = in.base64();
        GetObjectResponse r;
        byte[] bytes;
        try (ResponseInputStream<GetObjectResponse> object =
                s3.getObject(b -> b.bucket(bucket).key(key))) {
            r = object.response();
            if (r.contentLength() != null && r.contentLength() > MAX_GET_BYTES) {
                object.abort(); // do not download what will not be used
                throw new ConnectorException(
                        "PAYLOAD_TOO_LARGE",
                        "'%s' has %d bytes; get reads at most %d".formatted(key, r.contentLength(), MAX_GET_BYTES),
                        false);
            }
            bytes = object.readNBytes((int) MAX_GET_BYTES + 1);
        } catch (SdkException e) {
            throw S3Errors.of(e, "reading s3://%s/%s".formatted(bucket, key));
        } catch (IOException e) {
            throw S3Errors.fail(
                    "CONNECTION", "reading s3://%s/%s: %s".formatted(bucket, key, e.getMessage()), true, null, e);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("key", key);
        out.put("size", bytes.length);
        out.put("contentType", r.contentType());
        out.put("etag", r.eTag());
        out.put(
                "lastModified",
                r.lastModified() == null ? null : r.lastModified().toString());
        out.put("metadata", r.metadata());
        out.put("encoding", base64 ? "base64" : "text");
        out.put("content", base64 ? Base64.getEncoder().encodeToString(bytes) : utf8(key, bytes));
        return out;
    }

    private static String utf8(String key, byte[] bytes) throws ConnectorException {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ConnectorException(
                    "INPUT_INVALID",
                    "'%s' is not UTF-8 text; read it with \"encoding\": \"base64\"".formatted(key),
                    false);
        }
    }

    Map<String, Object> put(OperationInput in) throws ConnectorException {
        String key = in.required("key", "an object key such as orders/42.json");
        byte[] bytes = in.content();
        String type = in.text("contentType", in.base64() ? "application/octet-stream" : "text/plain; charset=utf-8");
        Map<String, String> metadata = new LinkedHashMap<>();
        if (in.raw("metadata") instanceof Map<?, ?> m) {
            m.forEach((k, v) -> metadata.put(String.valueOf(k), String.valueOf(v)));
        } else if (in.raw("metadata") != null) {
            throw in.invalid("metadata", "must be an object of name to text");
        }
        PutObjectResponse r;
        try {
            r = s3.putObject(
                    b -> b.bucket(bucket).key(key).contentType(type).metadata(metadata), RequestBody.fromBytes(bytes));
        } catch (SdkException e) {
            throw S3Errors.of(e, "writing s3://%s/%s".formatted(bucket, key));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("key", key);
        out.put("size", bytes.length);
        out.put("etag", r.eTag());
        return out;
    }

    Map<String, Object> list(OperationInput in) throws ConnectorException {
        String prefix = in.text("prefix", "");
        String continuation = in.text("continuation", null);
        String delimiter = in.text("delimiter", null);
        int limit = (int) in.number("limit", 1000, 1, 1000);
        ListObjectsV2Response r;
        try {
            r = s3.listObjectsV2(ListObjectsV2Request.builder()
                    .bucket(bucket)
                    .prefix(prefix)
                    .delimiter(delimiter)
                    .continuationToken(continuation)
                    .maxKeys(limit)
                    .build());
        } catch (SdkException e) {
            throw S3Errors.of(e, "listing s3://%s/%s".formatted(bucket, prefix));
        }
        List<Object> items = new ArrayList<>();
        for (S3Object o : r.contents()) {
            items.add(item(o.key(), o.size(), o.eTag(), o.lastModified().toEpochMilli()));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("items", items);
        out.put(
                "prefixes",
                r.commonPrefixes().stream().map(CommonPrefix::prefix).toList());
        out.put("continuation", Boolean.TRUE.equals(r.isTruncated()) ? r.nextContinuationToken() : null);
        return out;
    }

    Map<String, Object> delete(OperationInput in) throws ConnectorException {
        String key = in.required("key", "an object key such as orders/42.json");
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(key));
        } catch (SdkException e) {
            throw S3Errors.of(e, "deleting s3://%s/%s".formatted(bucket, key));
        }
        return Map.of("key", key, "deleted", true);
    }

    /** The pollable feed of new and overwritten objects under a prefix; see {@link NewObjects}. */
    Map<String, Object> newObjects(OperationInput in) throws ConnectorException {
        String prefix = in.text("prefix", "");
        int limit = (int) in.number("limit", 1000, 1, 10_000);
        long overlap = in.number("overlapSeconds", 600, 0, 30L * 86_400) * 1000;
        NewObjects.Cursor cursor = NewObjects.Cursor.fromJson(in);
        List<NewObjects.Entry> listing = new ArrayList<>();
        try {
            for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix))
                    .contents()) {
                if (listing.size() >= MAX_LISTED) {
                    throw in.invalid(
                            "prefix",
                            "matches more than %d objects; poll a narrower prefix (such as a date folder)"
                                    .formatted(MAX_LISTED));
                }
                if (!o.key().endsWith("/")) { // "folder" placeholders are not objects to process
                    listing.add(new NewObjects.Entry(o.key(), o.lastModified().toEpochMilli(), o.eTag(), o.size()));
                }
            }
        } catch (SdkException e) {
            throw S3Errors.of(e, "listing s3://%s/%s".formatted(bucket, prefix));
        }
        NewObjects.Decision d = NewObjects.decide(listing, cursor, overlap, limit);
        List<Object> items = new ArrayList<>();
        for (NewObjects.Entry e : d.emit()) {
            items.add(item(e.key(), e.size(), e.etag(), e.lastModified()));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("items", items);
        out.put("cursor", d.next().toJson());
        out.put("more", d.more());
        return out;
    }

    private Map<String, Object> item(String key, Long size, String etag, long lastModified) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("bucket", bucket);
        item.put("key", key);
        item.put("size", size);
        item.put("etag", etag);
        item.put("lastModified", java.time.Instant.ofEpochMilli(lastModified).toString());
        return item;
    }
}
