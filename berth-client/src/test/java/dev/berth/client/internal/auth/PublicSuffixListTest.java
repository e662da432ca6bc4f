package dev.berth.client.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Cases from publicsuffix.org's {@code test_psl.txt}, against the bundled list, plus registries. */
class PublicSuffixListTest {
    private static final PublicSuffixList PSL = PublicSuffixList.bundled();

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(nullValues = "null", value = {
        // unlisted TLD: the default rule *
        "example, null", "example.example, example.example", "b.example.example, example.example",
        "a.b.example.example, example.example",
        // TLD with only one rule
        "biz, null", "domain.biz, domain.biz", "b.domain.biz, domain.biz",
        // TLD with some two-level rules
        "com, null", "example.com, example.com", "b.example.com, example.com", "a.b.example.com, example.com",
        "uk.com, null", "example.uk.com, example.uk.com", "b.example.uk.com, example.uk.com",
        "test.ac, test.ac",
        // TLD with only one wildcard rule
        "mm, null", "c.mm, null", "b.c.mm, b.c.mm", "a.b.c.mm, b.c.mm",
        // more complex TLD
        "jp, null", "test.jp, test.jp", "www.test.jp, test.jp", "ac.jp, null", "test.ac.jp, test.ac.jp",
        "www.test.ac.jp, test.ac.jp", "kyoto.jp, null", "test.kyoto.jp, test.kyoto.jp", "ide.kyoto.jp, null",
        "b.ide.kyoto.jp, b.ide.kyoto.jp", "a.b.ide.kyoto.jp, b.ide.kyoto.jp",
        // wildcards and exceptions
        "c.kobe.jp, null", "b.c.kobe.jp, b.c.kobe.jp", "a.b.c.kobe.jp, b.c.kobe.jp", "city.kobe.jp, city.kobe.jp",
        "www.city.kobe.jp, city.kobe.jp",
        "ck, null", "test.ck, null", "b.test.ck, b.test.ck", "a.b.test.ck, b.test.ck", "www.ck, www.ck",
        "www.www.ck, www.ck",
        // US K12
        "us, null", "test.us, test.us", "www.test.us, test.us", "ak.us, null", "test.ak.us, test.ak.us",
        "www.test.ak.us, test.ak.us", "k12.ak.us, null", "test.k12.ak.us, test.k12.ak.us",
        "www.test.k12.ak.us, test.k12.ak.us",
        // IDN labels, compared as punycode
        "食狮.com.cn, xn--85x722f.com.cn", "食狮.公司.cn, xn--85x722f.xn--55qx5d.cn",
        "www.食狮.公司.cn, xn--85x722f.xn--55qx5d.cn", "shishi.公司.cn, shishi.xn--55qx5d.cn", "公司.cn, null",
        "xn--85x722f.xn--55qx5d.cn, xn--85x722f.xn--55qx5d.cn", "xn--55qx5d.cn, null",
        // mixed case, trailing dot
        "COM, null", "example.COM, example.com", "WwW.example.COM, example.com", "www.example.com., example.com",
        // registries
        "registry-1.docker.io, docker.io", "auth.docker.io, docker.io", "ghcr.io, ghcr.io", "quay.io, quay.io",
        "registry.gitlab.com, gitlab.com", "alice.github.io, alice.github.io",
        // not names
        "127.0.0.1, null", "[::1], null", "::1, null", "a..b, null",
    })
    void registrableDomains(String host, String expected) {
        assertThat(PSL.registrableDomain(host)).isEqualTo(Optional.ofNullable(expected));
    }

    @Test
    void appliesRulesWildcardsAndExceptions() {
        PublicSuffixList list = PublicSuffixList.parse(List.of("// comment", "", "com", "*.wild", "!keep.wild",
                "co.uk extra words", "uk"));
        assertThat(list.publicSuffix("a.b.com")).contains("com");
        assertThat(list.publicSuffix("x.y.wild")).contains("y.wild");
        assertThat(list.registrableDomain("x.y.wild")).contains("x.y.wild");
        assertThat(list.publicSuffix("a.keep.wild")).contains("wild");
        assertThat(list.registrableDomain("a.keep.wild")).contains("keep.wild");
        assertThat(list.registrableDomain("a.example.co.uk")).contains("example.co.uk");
        assertThat(list.publicSuffix("unlisted")).contains("unlisted");
        assertThat(list.registrableDomain("unlisted")).isEmpty();
    }
}
