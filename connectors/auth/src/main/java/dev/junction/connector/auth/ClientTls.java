package dev.junction.connector.auth;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Mutual TLS: an {@link SSLContext} that presents a client certificate (PEM, the leaf first and
 * any intermediates after it) with its private key (PEM, unencrypted PKCS#8: {@code BEGIN PRIVATE
 * KEY}; RSA, EC or Ed25519), and trusts the JDK's CAs or, when given, one private CA (PEM).
 * Malformed input is an {@link InvalidPem} naming the field.
 */
public final class ClientTls {
    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");

    private ClientTls() {}

    /** Bad PEM in {@code field} ({@code certificate}, {@code privateKey} or {@code caCertificate}). */
    public static final class InvalidPem extends IllegalArgumentException {
        private final String field;

        InvalidPem(String field, String message, Throwable cause) {
            super(field + ": " + message, cause);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    /** {@code caCertificate} may be null: the JDK's trusted CAs are used then. */
    public static SSLContext context(String certificate, String privateKey, String caCertificate) {
        List<X509Certificate> chain = certificates("certificate", certificate);
        PrivateKey key = privateKey(privateKey);
        requireMatch(key, chain.getFirst());
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            char[] none = new char[0];
            keys.setKeyEntry("client", key, none, chain.toArray(Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, none);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (caCertificate == null) {
                tmf.init((KeyStore) null);
            } else {
                KeyStore trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                int i = 0;
                for (X509Certificate ca : certificates("caCertificate", caCertificate)) {
                    trust.setCertificateEntry("ca-" + i++, ca);
                }
                tmf.init(trust);
            }
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(kmf.getKeyManagers(), tmf.getTrustManagers(), new SecureRandom());
            return ssl;
        } catch (GeneralSecurityException | java.io.IOException e) {
            // the key does not belong to the certificate, or the algorithm is unsupported
            throw new InvalidPem("privateKey", "cannot be used with the certificate: " + e.getMessage(), e);
        }
    }

    /** Signs a probe with the key and verifies it with the certificate: a mismatch fails only in the handshake otherwise. */
    private static void requireMatch(PrivateKey key, X509Certificate leaf) {
        String algorithm =
                switch (key.getAlgorithm()) {
                    case "RSA" -> "SHA256withRSA";
                    case "EC" -> "SHA256withECDSA";
                    case "Ed25519", "EdDSA" -> "Ed25519";
                    default -> null; // RSASSA-PSS needs parameters; the handshake will tell
                };
        if (algorithm == null) {
            return;
        }
        byte[] probe = "junction mutual TLS key check".getBytes(StandardCharsets.US_ASCII);
        boolean matches;
        try {
            Signature sign = Signature.getInstance(algorithm);
            sign.initSign(key);
            sign.update(probe);
            byte[] signature = sign.sign();
            Signature verify = Signature.getInstance(algorithm);
            verify.initVerify(leaf.getPublicKey());
            verify.update(probe);
            matches = verify.verify(signature);
        } catch (GeneralSecurityException e) {
            matches = false; // for instance an EC key with an RSA certificate
        }
        if (!matches) {
            throw new InvalidPem(
                    "privateKey",
                    "does not belong to the certificate (%s, %s key)"
                            .formatted(leaf.getSubjectX500Principal().getName(), key.getAlgorithm()),
                    null);
        }
    }

    private static List<X509Certificate> certificates(String field, String pem) {
        List<X509Certificate> out = new ArrayList<>();
        try {
            CertificateFactory f = CertificateFactory.getInstance("X.509");
            for (byte[] der : blocks(field, pem, "CERTIFICATE")) {
                out.add((X509Certificate) f.generateCertificate(new ByteArrayInputStream(der)));
            }
        } catch (CertificateException e) {
            throw new InvalidPem(field, "not a valid X.509 certificate: " + e.getMessage(), e);
        }
        return out;
    }

    private static PrivateKey privateKey(String pem) {
        if (pem != null && pem.contains("BEGIN RSA PRIVATE KEY")
                || pem != null && pem.contains("BEGIN EC PRIVATE KEY")) {
            throw new InvalidPem(
                    "privateKey",
                    "is PKCS#1/SEC1 ('BEGIN RSA/EC PRIVATE KEY'); convert it to PKCS#8 with"
                            + " 'openssl pkcs8 -topk8 -nocrypt -in key.pem'",
                    null);
        }
        byte[] der = blocks("privateKey", pem, "PRIVATE KEY").getFirst();
        for (String algorithm : List.of("RSA", "EC", "Ed25519", "RSASSA-PSS")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException tryNext) {
                // the PKCS#8 envelope names the algorithm, but KeyFactory wants it up front
            }
        }
        throw new InvalidPem("privateKey", "not an RSA, EC or Ed25519 key in PKCS#8 form", null);
    }

    private static List<byte[]> blocks(String field, String pem, String label) {
        if (pem == null || pem.isBlank()) {
            throw new InvalidPem(field, "is empty; expected PEM ('-----BEGIN " + label + "-----')", null);
        }
        List<byte[]> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(pem.replace("\r", ""));
        while (m.find()) {
            if (!m.group(1).equals(label)) {
                throw new InvalidPem(field, "holds a '%s' block; expected '%s'".formatted(m.group(1), label), null);
            }
            try {
                out.add(Base64.getMimeDecoder().decode(m.group(2).getBytes(StandardCharsets.US_ASCII)));
            } catch (IllegalArgumentException e) {
                throw new InvalidPem(field, "the '" + label + "' block is not valid base64", e);
            }
        }
        if (out.isEmpty()) {
            throw new InvalidPem(field, "no PEM block found; expected '-----BEGIN " + label + "-----'", null);
        }
        return out;
    }
}
