import Foundation
import Testing

@testable import ConformJSONSchema
@testable import ConformJSON
@testable import ConformKit
@testable import ConformSupport

/// Each format conform checks, with the edge cases its RFC draws (and the JSON-Schema-Test-Suite's optional
/// format tests probe).
@Suite struct JSONSchemaFormatTests {
    static let cases: [(JSONSchemaFormat, valid: [String], invalid: [String])] = [
        (
            .dateTime,
            [
                "1963-06-19T08:30:06.283185Z", "1963-06-19t08:30:06z", "2024-02-29T00:00:00+01:00",
                "1998-12-31T23:59:60Z", "1990-12-31T15:59:60-08:00", "2000-01-01T00:00:00-00:00",
            ],
            [
                "1990-02-31T15:59:59.123-08:00", "2023-02-29T00:00:00Z", "1998-12-31T23:59:61Z",
                "1998-12-31T23:58:60Z", "1990-12-31T15:59:59-24:00", "1963-06-19T08:30:06.Z", "1963-06-19 08:30:06Z",
                "2013-350T01:01:01", "1963-06-1\u{096A}T00:00:00Z", "1963-06-19T08:30:06", "2024-01-01T00:00:00Z\n",
                "",
            ]
        ),
        (
            .date,
            ["1963-06-19", "2020-02-29", "2000-02-29", "0000-01-01"],
            ["2021-02-29", "1900-02-29", "2020-13-01", "2020-00-10", "2020-04-31", "1998-1-20", "2020-01-01T00:00:00Z"]
        ),
        (
            .time,
            [
                "08:30:06Z", "23:59:60Z", "01:29:60+01:30", "15:59:60-08:00", "23:20:50.52Z", "12:34:56-00:00",
                "08:30:06z",
            ],
            [
                "22:59:60Z", "23:59:60+01:00", "24:00:00Z", "00:60:00Z", "12:00:00", "08:30:06+0130", "08:30:06+01",
                "01:02:03Z+00:30", "8:3:6Z", "08:30:06 PST",
            ]
        ),
        (
            .duration,
            ["P4DT12H30M5S", "P4Y", "PT0S", "P1M", "PT36H", "P2W", "P1Y2M3DT4H5M6S", "PT1M2S", "P01D"],
            ["PT1D", "P", "P1YT", "PT", "P2D1Y", "P1D2H", "P2S", "P1Y2W", "PT0.5S", "P1Y2D", "PT1H2S", "-P1D", "p1d"]
        ),
        (
            .email,
            [
                "joe.bloggs@example.com", "te~st@example.com", "\"joe bloggs\"@example.com", "\"joe..b@x\"@example.com",
                "joe@[127.0.0.1]", "joe@[IPv6:::1]", "a@[ipv6:::1]", "test@io", "\"\"@iana.org", "\"\\\"\"@iana.org",
                "test@255.255.255.255", "test@c--n.com",
            ],
            [
                "2962", ".test@example.com", "test.@example.com", "te..st@example.com", "joe@invalid=domain.com",
                "joe@[127.0.0.300]", "a@b@c.org", "@example.com", "joe@", "a\u{E9}@iana.org", "a@\u{E9}.org",
                "test@iana.org.", "test@-iana.org", "\"test\"test@iana.org", "\"test@iana.org", "a@[]",
                "\"Winston\" <w@example.com>", "\"a\\\u{A9}\"@iana.org", String(repeating: "a", count: 65) + "@x.org",
            ]
        ),
        (
            .idnEmail,
            [
                "\u{C2E4}\u{B840}@\u{C2E4}\u{B840}.\u{D14C}\u{C2A4}\u{D2B8}", "joe.bloggs@example.com",
                "a\u{E9}@iana.org",
            ],
            ["2962", "a@b@c", "te..st@example.com"]
        ),
        (
            .hostname,
            [
                "www.example.com", "xn--4gbwdl.xn--wgbh1c", "a", "123.com",
                String(repeating: "a", count: 63) + ".com",
            ],
            [
                "-a-host", "host-", "not_a_valid_host_name", "", "example..com", "example.com.",
                String(repeating: "a", count: 64) + ".com", String(repeating: "a.", count: 127) + "ab",
            ]
        ),
        (
            .ipv4,
            ["192.168.0.1", "0.0.0.0", "255.255.255.255"],
            ["127.0.0.0.1", "256.256.256.256", "127.0", "0x7f000001", "087.10.0.1", "1.2.3.\u{09EA}", "1.2.3.4 "]
        ),
        (
            .ipv6,
            [
                "::1", "::", "::abef", "d6::", "1:d6::42", "1::d6:192.168.0.1", "::ffff:192.168.0.1",
                "1:2:3:4:5:6:7:8", "1000:1000:1000:1000:1000:1000:255.255.255.255", "1:2:3:4:5:6:7::",
            ],
            [
                "12345::", "::abcef", "1:1:1:1:1:1:1:1:1", "::laptop", ":2:3:4:5:6:7:8", "1:2:3:4:5:6:7:",
                "1::d6::42", "1:2:3:4:5:::8", "1:2:3:4:5:6:7", "127.0.0.1", "fe80::/64", "fe80::a%eth1",
                "1:2:3:4:1.2.3", "100:100:100:100:100:100:100:255.255.255.255", "192.168.0.1::",
            ]
        ),
        (
            .uri,
            [
                "http://foo.bar/?baz=qux#quux", "http://foo.com/blah_(wikipedia)_blah#cite-1",
                "http://-.~_!$&'()*+,;=:%40:80%2f::::::@example.com", "ldap://[2001:db8::7]/c=GB?objectClass?one",
                "mailto:John.Doe@example.com", "urn:oasis:names:specification:docbook:dtd:xml:4.1.2", "http://:80",
                "http://user@", "http://a.com:", "http://[v7.abc:1]/", "tel:+1-816-555-1212",
            ],
            [
                "//foo.bar/?baz=qux#quux", "/abc", "abc", "http:// shouldfail.com", "bar,baz:foo",
                "https://[@example.org/test.txt", "https://example.org/foobar\u{AE}.txt", "http://example.com/%6G",
                "http://example.com/%", "1http://example.com", "http://example.com:abc/path", "http://a.com:8:0",
                "https://example.org/foo{}.txt", "http://[::1/",
            ]
        ),
        (
            .uriReference,
            ["http://foo.bar/?baz=qux#quux", "//foo.bar/?baz=qux#quux", "/abc", "abc", "#fragment", "", "./a:b", "?q"],
            ["\\\\WINDOWS\\fileshare", "#frag#ment", "a:b:c d", "bar,baz:foo", "http://example.com/%"]
        ),
        (
            .iri,
            ["http://\u{1F600}.com/\u{E9}?q=\u{E000}", "http://[2001:db8::7]/", "http://example.com/caf\u{E9}"],
            ["/abc", "http://example.com/\u{E000}", "http://a b.com"]
        ),
        (
            .iriReference,
            ["http://\u{1F600}.com", "//\u{E9}", "\u{E9}t\u{E9}", "#\u{E9}"],
            ["\\\\WINDOWS", "#\u{E9}#", "http://a b"]
        ),
        (
            .uriTemplate,
            [
                "http://example.com/dictionary/{term:1}/{term}", "", "{+var}", "{#var}", "{.var}", "{/var}", "{;x,y}",
                "{?var}", "{&var}", "{var*}", "{a.b}", "{%41}", "{v:1000}", "a%41b", "a'b", "a\u{1F600}b", "a\u{E000}b",
            ],
            [
                "http://example.com/dictionary/{term:1}/{term", "{}", "{a,,b}", "{v:0}", "{v:10000}", "foo}bar", "a%",
                "{a..b}", "{%}", "{v:01}", "a b", "{var=def}", "{,+var}", "{=var}", "{a,}",
            ]
        ),
        (
            .uuid,
            [
                "2EB8AA08-AA98-11EA-B4AA-73B441D16380", "2eb8aa08-aa98-11ea-b4aa-73b441d16380",
                "00000000-0000-0000-0000-000000000000", "99c17cbb-656f-564a-940f-1a4568f03487",
            ],
            [
                "2eb8aa08-aa98-11ea-b4aa-73b441d1638", "2eb8aa08-aa98-11ea-73b441d16380",
                "2eb8aa08-aa98-11ea-b4ga-73b441d16380",
                "2eb8aa08aa9811eab4aa73b441d16380", "2eb8-aa08-aa98-11ea-b4aa73b441d16380",
                "{2eb8aa08-aa98-11ea-b4aa-73b441d16380}",
            ]
        ),
        (
            .jsonPointer,
            ["", "/foo/bar~0/baz~1/%a", "/foo//bar", "/~0~1", "/"],
            ["/foo/bar~", "#/foo", "foo", "/~2"]
        ),
        (
            .relativeJSONPointer,
            ["1", "0/foo/bar", "2/0/baz/1/zip", "0#", "0+1", "1-2/bar", "0-1#", "120/foo/bar", "0//"],
            ["/foo/bar", "1foo", "-1/foo", "+1/foo", "0+", "0-01", "0##", "01/a", "", "1#/foo", "1\n"]
        ),
        (
            .regex,
            [#"([abc])+\s+$"#, #"(a)\1(?=b)(?<!c)"#, #"\p{Letter}"#, ""],
            ["^(abc]", "a{", #"\a"#, "(?<a>x)(?<a>y)"]
        ),
    ]

    @Test func everyFormatAcceptsAndRejectsAsItsRFCSays() {
        #expect(Set(Self.cases.map(\.0)) == Set(JSONSchemaFormat.allCases), "every format has cases")
        for (format, valid, invalid) in Self.cases {
            for text in valid {
                #expect(format.accepts(text), "\(format.rawValue) should accept \(JSONValue.quoted(text))")
            }
            for text in invalid {
                #expect(!format.accepts(text), "\(format.rawValue) should reject \(JSONValue.quoted(text))")
            }
        }
    }

    @Test func anUnsupportedFormatIsRefusedAtLoad() throws {
        #expect(
            try SchemaFixture.diagnostics(#"{"format": "idn-hostname"}"#).first?.hasPrefix(
                #"schema.json:1:12: error: unsupported format "idn-hostname" (conform checks date-time, date,"#) == true
        )
    }

    @Test func formatFailuresAreWarningsByDefaultAndFailuresWhenAsserted() throws {
        let text = #"{"properties": {"id": {"format": "uuid"}, "host": {"format": "ipv4"}}}"#
        let instance = try SchemaFixture.instance(#"{"id": "not-a-uuid", "host": "10.0.0.1"}"#)
        let annotations = try SchemaFixture.schema(text).validate(instance)
        #expect(
            annotations == [
                JSONSchemaViolation(
                    instancePath: "id", keyword: "format",
                    schemaLocation: ConformSupport.SourceLocation(line: 1, column: 24),
                    message: #"expected a UUID (RFC 9562), got string "not-a-uuid""#, isAnnotation: true)
            ])
        let failures = try SchemaFixture.schema(text, options: JSONSchema.Options(formatAssertion: true)).validate(
            instance)
        #expect(failures.map(\.isAnnotation) == [false])
        #expect(failures.map(\.message) == annotations.map(\.message))
    }
}
