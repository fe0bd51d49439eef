package dev.junction.testkit;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed EC key pair made by the JDK's {@code keytool} (the one running the tests), for TLS
 * and mutual-TLS tests: the certificate, the private key, the PKCS#12 store holding both (password
 * {@link #PASSWORD}), and PEM forms of the certificate and the PKCS#8 key.
 */
public record TestCertificates(X509Certificate certificate, PrivateKey key, KeyStore keyStore) {
    public static final char[] PASSWORD = "changeit".toCharArray();

    /** {@code san} such as {@code ip:127.0.0.1}, or null. */
    public static TestCertificates generate(Path dir, String name, String san) throws Exception {
        Path store = dir.resolve(name + ".p12");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                name,
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=" + name,
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                new String(PASSWORD)));
        if (san != null) {
            command.addAll(List.of("-ext", "san=" + san));
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + out);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, PASSWORD);
        }
        return new TestCertificates(
                (X509Certificate) ks.getCertificate(name), (PrivateKey) ks.getKey(name, PASSWORD), ks);
    }

    /** A server-side context presenting this pair and trusting only {@code clients}' certificates. */
    public SSLContext serverContext(TestCertificates... clients) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keyStore, PASSWORD);
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        for (TestCertificates c : clients) {
            trusted.setCertificateEntry(
                    c.certificate().getSubjectX500Principal().getName(), c.certificate());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ssl;
    }

    public String certificatePem() throws Exception {
        return pem("CERTIFICATE", certificate.getEncoded());
    }

    public String keyPem() {
        return pem("PRIVATE KEY", key.getEncoded()); // getEncoded() is PKCS#8
    }

    public static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }
}
