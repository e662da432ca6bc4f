package dev.berth.spec.manifest;

import static dev.berth.spec.Errors.codeOf;
import static dev.berth.spec.Errors.detailOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.spec.Digest;
import dev.berth.spec.ErrorCode;
import dev.berth.spec.MediaTypes;
import dev.berth.spec.auth.KeyIds;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class Schema1ManifestTest {
    static final String LAYER_A = "sha256:" + "a".repeat(64);
    static final String LAYER_B = "sha256:" + "b".repeat(64);
    /** What docker writes before signing: Go's json.MarshalIndent with three spaces, no final newline. */
    static final String UNSIGNED = """
            {
               "schemaVersion": 1,
               "name": "library/busybox",
               "tag": "latest",
               "architecture": "amd64",
               "fsLayers": [
                  {
                     "blobSum": "%s"
                  },
                  {
                     "blobSum": "%s"
                  },
                  {
                     "blobSum": "%s"
                  }
               ],
               "history": [
                  {
                     "v1Compatibility": "{\\"id\\":\\"3\\",\\"parent\\":\\"2\\"}"
                  },
                  {
                     "v1Compatibility": "{\\"id\\":\\"2\\",\\"parent\\":\\"1\\"}"
                  },
                  {
                     "v1Compatibility": "{\\"id\\":\\"1\\"}"
                  }
               ]
            }""".formatted(LAYER_A, LAYER_B, LAYER_A);
    /**
     * Written by docker 1.8, from containers/image's test fixtures, where its digest is the one below. Its
     * signature does not verify (the fixture seems to have been edited after signing), so it serves for
     * the layout, the digest and the key id only.
     */
    static final String DOCKER_SIGNED = "v2s1-signed-by-docker.json";
    /** Signed by libtrust, from openshift/origin's registry tests, which push it to a verifying registry. */
    static final String LIBTRUST_SIGNED = "v2s1-signed-by-libtrust.json";
    static final Digest DOCKER_SIGNED_DIGEST =
            Digest.parse("sha256:7364fea9d84ee548ab67d4c46c6006289800c98de3fbf8c0a97138dfcc23f000");
    static final Path TESTKIT_FIXTURE = Path.of("/var/tmp/berth-fixtures/docker/busybox-v2s1/manifest.json");
    static final ObjectMapper JSON = new ObjectMapper();

    static KeyPair p256;
    static KeyPair p384;
    static KeyPair p521;
    static KeyPair rsa;

    @BeforeAll
    static void generateKeys() throws GeneralSecurityException {
        p256 = ec("secp256r1");
        p384 = ec("secp384r1");
        p521 = ec("secp521r1");
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        rsa = generator.generateKeyPair();
    }

    static KeyPair ec(String curve) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(curve));
        return generator.generateKeyPair();
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static String signed(KeyPair key) {
        return text(Schema1Manifest.sign(bytes(UNSIGNED), key));
    }

    static Manifest parse(String content) {
        return Manifests.parse(bytes(content), MediaTypes.DOCKER_SCHEMA1_SIGNED);
    }

    static ErrorCode codeOfParse(String content) {
        return codeOf(() -> parse(content));
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = Schema1ManifestTest.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    static byte[] dockerSigned() throws IOException {
        return resource(DOCKER_SIGNED);
    }

    /** A signed document with these signatures in place of the ones {@link Schema1Manifest#sign} wrote. */
    static String withSignatures(String unsigned, JsonNode signatures) {
        String members = unsigned.substring(0, unsigned.lastIndexOf('}')).stripTrailing();
        return members + ",\"signatures\":" + signatures + "}";
    }

    static ArrayNode signaturesOf(String signed) throws IOException {
        return (ArrayNode) JSON.readTree(signed).get("signatures");
    }

    @Test
    void signsAndVerifiesLikeDocker() throws IOException {
        String signed = signed(p256);
        Schema1Manifest manifest = (Schema1Manifest) parse(signed);

        assertThat(manifest.name()).isEqualTo("library/busybox");
        assertThat(manifest.tag()).isEqualTo("latest");
        assertThat(manifest.architecture()).isEqualTo("amd64");
        assertThat(manifest.fsLayers()).extracting(Digest::toString).containsExactly(LAYER_A, LAYER_B, LAYER_A);
        assertThat(manifest.blobs()).containsExactly(Digest.parse(LAYER_A), Digest.parse(LAYER_B));
        assertThat(manifest.history()).hasSize(3).first().isEqualTo("{\"id\":\"3\",\"parent\":\"2\"}");
        assertThat(manifest.digest()).isEqualTo(Digest.sha256(bytes(UNSIGNED)));
        assertThat(text(manifest.content())).isEqualTo(signed);
        assertThat(manifest.mediaType()).isEqualTo(MediaTypes.DOCKER_SCHEMA1_SIGNED);
        assertThat(manifest.children()).isEmpty();
        assertThat(manifest.subject()).isEmpty();
        assertThat(manifest.artifactType()).isEmpty();
        assertThat(manifest.annotations()).isEmpty();

        assertThat(signed).startsWith(UNSIGNED.substring(0, UNSIGNED.length() - 2) + ",\n   \"signatures\": [\n      {\n"
                + "         \"header\": {\n            \"jwk\": {\n               \"crv\": \"P-256\",\n");
        assertThat(signed).endsWith("\"\n      }\n   ]\n}");
        JsonNode signature = signaturesOf(signed).get(0);
        assertThat(signature.at("/header/alg").textValue()).isEqualTo("ES256");
        assertThat(signature.at("/header/jwk/kty").textValue()).isEqualTo("EC");
        assertThat(signature.at("/header/jwk/kid").textValue()).matches("([A-Z2-7]{4}:){11}[A-Z2-7]{4}");
        assertThat(signature.at("/header/jwk/kid").textValue()).isEqualTo(KeyIds.libtrust(p256.getPublic()));
        JsonNode format = JSON.readTree(Base64.getUrlDecoder().decode(signature.get("protected").textValue()));
        assertThat(format.get("formatLength").intValue()).isEqualTo(UNSIGNED.length() - 2);
        assertThat(format.get("formatTail").textValue()).isEqualTo("Cn0");
        assertThat(format.get("time").textValue()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    }

    @Test
    void writesDockersLayoutByteForByte() throws IOException {
        byte[] docker = dockerSigned();
        byte[] payload = bytes(text(Arrays.copyOf(docker, 5478)) + "\n}");
        String ours = text(Schema1Manifest.sign(payload, p256));
        String variable = "\"(kid|x|y|signature|protected)\": \"[^\"]*\"";
        assertThat(ours.replaceAll(variable, "\"$1\": \"…\"")).isEqualTo(text(docker).replaceAll(variable, "\"$1\": \"…\""));
        assertThat(parse(ours).digest()).isEqualTo(DOCKER_SIGNED_DIGEST);
    }

    @Test
    void verifiesASignatureMadeByLibtrust() throws IOException {
        byte[] content = resource(LIBTRUST_SIGNED);
        Schema1Manifest manifest = (Schema1Manifest) Manifests.parse(content, MediaTypes.DOCKER_SCHEMA1_SIGNED);
        assertThat(manifest.name()).isEqualTo("nm/is");
        assertThat(manifest.tag()).isEqualTo("latest");
        assertThat(manifest.architecture()).isEmpty();
        assertThat(manifest.blobs()).extracting(Digest::toString).containsExactly(
                "sha256:b2c5513bd934a7efb412c0dd965600b8cb00575b585eaff1cb980b69037fe6cd",
                "sha256:2dde6f11a89463bf20dba3b47d8b3b6de7cdcc19e50634e95a18dd95c278768d");
        assertThat(manifest.history()).containsExactly("{\"size\":18407936}", "{\"size\":19387392}");
        assertThat(manifest.digest()).isEqualTo(Digest.sha256(bytes(text(Arrays.copyOf(content, 485)) + "\n}")));

        String tampered = text(content).replace("\"tag\": \"latest\"", "\"tag\": \"latesu\"");
        assertThat(codeOf(() -> Manifests.parse(bytes(tampered), null))).isEqualTo(ErrorCode.MANIFEST_UNVERIFIED);
    }

    @ParameterizedTest
    @ValueSource(strings = {DOCKER_SIGNED, LIBTRUST_SIGNED})
    void computesLibtrustKeyIds(String fixture) throws Exception {
        JsonNode jwk = JSON.readTree(resource(fixture)).at("/signatures/0/header/jwk");
        AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
        parameters.init(new ECGenParameterSpec("secp256r1"));
        ECPoint point = new ECPoint(new BigInteger(1, Base64.getUrlDecoder().decode(jwk.get("x").textValue())),
                new BigInteger(1, Base64.getUrlDecoder().decode(jwk.get("y").textValue())));
        PublicKey key = KeyFactory.getInstance("EC")
                .generatePublic(new ECPublicKeySpec(point, parameters.getParameterSpec(ECParameterSpec.class)));
        assertThat(KeyIds.libtrust(key)).isEqualTo(jwk.get("kid").textValue());
    }

    @Test
    void verifiesTheTestkitsSkopeoManifest() throws IOException {
        Assumptions.assumeTrue(Files.isRegularFile(TESTKIT_FIXTURE), "no testkit fixture");
        byte[] content = Files.readAllBytes(TESTKIT_FIXTURE);
        Schema1Manifest manifest = (Schema1Manifest) Manifests.parse(content, MediaTypes.DOCKER_SCHEMA1_SIGNED);
        assertThat(manifest.blobs()).isNotEmpty().allSatisfy(blob ->
                assertThat(TESTKIT_FIXTURE.resolveSibling(blob.hex())).isRegularFile());
        assertThat(Manifests.parse(content, null)).isInstanceOf(Schema1Manifest.class);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {MediaTypes.DOCKER_SCHEMA1_SIGNED, MediaTypes.DOCKER_SCHEMA1, "application/json",
        "application/octet-stream", MediaTypes.DOCKER_SCHEMA1_SIGNED + "; charset=utf-8"})
    void acceptsEveryContentTypeOfSchema1(String contentType) {
        Manifest manifest = Manifests.parse(bytes(signed(p256)), contentType);
        assertThat(manifest).isInstanceOf(Schema1Manifest.class);
        assertThat(manifest.mediaType()).isEqualTo(MediaTypes.DOCKER_SCHEMA1_SIGNED);
    }

    @Test
    void signsWithOtherCurvesAndRsa() throws IOException {
        for (var key : new Object[][] {{p384, "ES384", "P-384"}, {p521, "ES512", "P-521"}, {rsa, "RS256", null}}) {
            String signed = signed((KeyPair) key[0]);
            assertThat(parse(signed).digest()).isEqualTo(Digest.sha256(bytes(UNSIGNED)));
            JsonNode header = signaturesOf(signed).get(0).get("header");
            assertThat(header.get("alg").textValue()).isEqualTo(key[1]);
            if (key[2] != null) {
                assertThat(header.at("/jwk/crv").textValue()).isEqualTo(key[2]);
            } else {
                assertThat(header.at("/jwk/e").textValue()).isEqualTo("AQAB");
            }
        }
    }

    @Test
    void signsCompactDocumentsCompactly() {
        String compact = """
                {"schemaVersion":1,"name":"a","tag":"b","architecture":"arm64","fsLayers":[{"blobSum":"%s"}],\
                "history":[{"v1Compatibility":"{}"}]}""".formatted(LAYER_B);
        String signed = text(Schema1Manifest.sign(bytes(compact), p256));
        assertThat(signed).startsWith(compact.substring(0, compact.length() - 1) + ",\"signatures\":[{\"header\":{\"jwk\":{\"crv\":")
                .endsWith("\"}]}");
        assertThat(parse(signed).digest()).isEqualTo(Digest.sha256(bytes(compact)));
    }

    @Test
    void rejectsATamperedPayload() {
        String signed = signed(p256);
        assertThat(codeOfParse(signed.replace("\"tag\": \"latest\"", "\"tag\": \"latesT\""))).isEqualTo(ErrorCode.MANIFEST_UNVERIFIED);
        assertThat(codeOfParse(signed.replace(LAYER_B, LAYER_A))).isEqualTo(ErrorCode.MANIFEST_UNVERIFIED);
        assertThat(codeOfParse(signed.replace("\"architecture\": \"amd64\"", "\"architecture\":\"amd64\"")))
                .isEqualTo(ErrorCode.MANIFEST_UNVERIFIED);
    }

    @Test
    void rejectsATamperedSignature() {
        String signed = signed(p256);
        int at = signed.indexOf("\"signature\": \"") + 14;
        String flipped = signed.substring(0, at) + (signed.charAt(at) == 'A' ? 'B' : 'A') + signed.substring(at + 1);
        assertThat(codeOfParse(flipped)).isEqualTo(ErrorCode.MANIFEST_UNVERIFIED);
        assertThat(detailOf(() -> parse(flipped))).isEqualTo("signatures[0]: invalid signature");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {MediaTypes.DOCKER_SCHEMA1_SIGNED, MediaTypes.DOCKER_SCHEMA1, "application/json"})
    void rejectsUnsignedManifests(String contentType) {
        assertThat(codeOf(() -> Manifests.parse(bytes(UNSIGNED), contentType))).isEqualTo(ErrorCode.MANIFEST_UNVERIFIED);
        assertThat(detailOf(() -> Manifests.parse(bytes(UNSIGNED), contentType))).isEqualTo("manifest has no signatures");
        String emptySignatures = withSignatures(UNSIGNED, JSON.createArrayNode());
        assertThat(codeOf(() -> Manifests.parse(bytes(emptySignatures), contentType))).isEqualTo(ErrorCode.MANIFEST_UNVERIFIED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ES384", "ES512", "RS256", "HS256", "none", ""})
    void rejectsAnAlgorithmThatDoesNotFitTheKey(String alg) {
        String signed = signed(p256).replace("\"alg\": \"ES256\"", "\"alg\": \"" + alg + "\"");
        assertThat(codeOfParse(signed)).isEqualTo(ErrorCode.MANIFEST_UNVERIFIED);
    }

    @Test
    void rejectsBadKeys() throws IOException, GeneralSecurityException {
        String signed = signed(p256);
        JsonNode jwk = signaturesOf(signed).get(0).at("/header/jwk");
        String otherKey = signed.replace(jwk.get("x").textValue(), signaturesOf(signed(ec("secp256r1")))
                .get(0).at("/header/jwk/x").textValue());
        assertThat(codeOfParse(otherKey)).isEqualTo(ErrorCode.MANIFEST_UNVERIFIED);
        String offCurve = signed.replace(jwk.get("y").textValue(), jwk.get("x").textValue());
        assertThat(detailOf(() -> parse(offCurve))).isEqualTo("signatures[0]: jwk point is not on its curve");
        assertThat(codeOfParse(signed.replace("\"crv\": \"P-256\"", "\"crv\": \"P-192\""))).isEqualTo(ErrorCode.MANIFEST_UNVERIFIED);
        assertThat(codeOfParse(signed.replace("\"kty\": \"EC\"", "\"kty\": \"OKP\""))).isEqualTo(ErrorCode.MANIFEST_UNVERIFIED);
        assertThat(codeOfParse(signed.replace("\"x\": \"", "\"x\": \"!"))).isEqualTo(ErrorCode.MANIFEST_UNVERIFIED);
        assertThat(detailOf(() -> parse(signed.replace("\"jwk\":", "\"key\":")))).isEqualTo("signatures[0]: header has neither jwk nor x5c");
    }

    @Test
    void rejectsBadProtectedHeaders() throws IOException {
        String signed = signed(p256);
        String protectedHeader = signaturesOf(signed).get(0).get("protected").textValue();
        String beyond = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes("{\"formatLength\":999999,\"formatTail\":\"Cn0\"}"));
        assertThat(detailOf(() -> parse(signed.replace(protectedHeader, beyond)))).isEqualTo("signatures[0]: invalid formatLength");
        String notJson = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes("formatLength"));
        assertThat(codeOfParse(signed.replace(protectedHeader, notJson))).isEqualTo(ErrorCode.MANIFEST_UNVERIFIED);
        assertThat(codeOfParse(signed.replace(protectedHeader, "*not base64*"))).isEqualTo(ErrorCode.MANIFEST_UNVERIFIED);
        assertThat(codeOfParse(signed.replace("\"protected\": \"" + protectedHeader + "\"", "\"protected\": 1")))
                .isEqualTo(ErrorCode.MANIFEST_UNVERIFIED);
    }

    @Test
    void verifiesEverySignature() throws IOException {
        ArrayNode both = signaturesOf(signed(p256)).addAll(signaturesOf(signed(rsa)));
        Manifest manifest = parse(withSignatures(UNSIGNED, both));
        assertThat(manifest.digest()).isEqualTo(Digest.sha256(bytes(UNSIGNED)));

        ArrayNode oneBroken = both.deepCopy();
        ((ObjectNode) oneBroken.get(1)).put("signature", both.get(0).get("signature").textValue());
        assertThat(detailOf(() -> parse(withSignatures(UNSIGNED, oneBroken)))).startsWith("signatures[1]: ");

        ArrayNode otherPayload = signaturesOf(signed(p256)).addAll(signaturesOf(text(Schema1Manifest.sign(bytes(UNSIGNED + "\n"), rsa))));
        assertThat(detailOf(() -> parse(withSignatures(UNSIGNED, otherPayload)))).isEqualTo("signatures[1] signs a different payload");
    }

    @Test
    void limitsTheNumberOfSignatures() throws IOException {
        ArrayNode many = JSON.createArrayNode();
        for (int i = 0; i <= PrettyJws.MAX_SIGNATURES; i++) {
            many.addAll(signaturesOf(signed(p256)));
        }
        assertThat(codeOfParse(withSignatures(UNSIGNED, many))).isEqualTo(ErrorCode.MANIFEST_UNVERIFIED);
        many.remove(0);
        assertThat(parse(withSignatures(UNSIGNED, many))).isInstanceOf(Schema1Manifest.class);
    }

    @Test
    void verifiesWithTheLeafCertificateOfAnX5cChain(@TempDir Path dir) throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Assumptions.assumeTrue(Files.isExecutable(keytool), "no keytool");
        Path keystore = dir.resolve("signer.p12");
        Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "signer", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=berth test", "-validity", "1", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "changeit").redirectErrorStream(true)
                .redirectOutput(dir.resolve("keytool.log").toFile()).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(Files.readString(dir.resolve("keytool.log"))).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, "changeit".toCharArray());
        }
        Certificate certificate = store.getCertificate("signer");
        PrivateKey key = (PrivateKey) store.getKey("signer", "changeit".toCharArray());

        ArrayNode signatures = signaturesOf(text(Schema1Manifest.sign(bytes(UNSIGNED), new KeyPair(certificate.getPublicKey(), key))));
        ObjectNode header = (ObjectNode) signatures.get(0).get("header");
        header.remove("jwk");
        header.putArray("x5c").add(Base64.getEncoder().encodeToString(certificate.getEncoded()));
        assertThat(parse(withSignatures(UNSIGNED, signatures)).digest()).isEqualTo(Digest.sha256(bytes(UNSIGNED)));

        header.putArray("x5c").add(Base64.getEncoder().encodeToString(Arrays.copyOf(certificate.getEncoded(), 20)));
        assertThat(codeOfParse(withSignatures(UNSIGNED, signatures))).isEqualTo(ErrorCode.MANIFEST_UNVERIFIED);
    }

    @Test
    void validatesTheSignedPayload() {
        String noLayers = UNSIGNED.replaceAll("(?s)\"fsLayers\": \\[.*?\n   ],", "\"fsLayers\": [],")
                .replaceAll("(?s)\"history\": \\[.*\n   ]", "\"history\": []");
        assertThat(detailOf(() -> parse(text(Schema1Manifest.sign(bytes(noLayers), p256))))).isEqualTo("fsLayers must not be empty");
        String shortHistory = UNSIGNED.replace(",\n      {\n         \"v1Compatibility\": \"{\\\"id\\\":\\\"1\\\"}\"\n      }", "");
        assertThat(detailOf(() -> parse(text(Schema1Manifest.sign(bytes(shortHistory), p256)))))
                .isEqualTo("history has 2 entries for 3 fsLayers");
        String badBlob = UNSIGNED.replace(LAYER_B, "sha256:oops");
        assertThat(detailOf(() -> parse(text(Schema1Manifest.sign(bytes(badBlob), p256))))).startsWith("fsLayers[1].blobSum: ");
        String noName = UNSIGNED.replace("\"name\": \"library/busybox\",", "");
        assertThat(detailOf(() -> parse(text(Schema1Manifest.sign(bytes(noName), p256))))).isEqualTo("name is required");
        assertThat(codeOfParse(text(Schema1Manifest.sign(bytes(noName), p256)))).isEqualTo(ErrorCode.MANIFEST_INVALID);
    }

    @Test
    void requiresSchemaVersion1() {
        String version2 = signed(p256).replace("\"schemaVersion\": 1", "\"schemaVersion\": 2");
        assertThat(codeOfParse(version2)).isEqualTo(ErrorCode.MANIFEST_INVALID);
        assertThat(detailOf(() -> parse(version2))).isEqualTo("schemaVersion must be 1, got 2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "{}", "{ \n }", "not json", "", "{\"a\":1,\"signatures\":[]}"})
    void signsOnlyNonEmptyUnsignedObjects(String json) {
        assertThatIllegalArgumentException().isThrownBy(() -> Schema1Manifest.sign(bytes(json), p256));
    }
}
