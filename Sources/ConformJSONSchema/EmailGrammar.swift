/// RFC 5321 §4.1.2 mailboxes, for the `email` format, and RFC 6531's internationalized ones (`idn-email`).
///
///     Mailbox    = Local-part "@" ( Domain / "[" IPv4 "]" / "[IPv6:" IPv6 "]" )
///     Local-part = Dot-string / Quoted-string   ; 64 octets at most
///     Dot-string = 1*atext *("." 1*atext)
///
/// This is the address alone (`joe@example.com`), not a header value (`Joe <joe@example.com>`). The
/// internationalized form also admits non-ASCII characters in atext, quoted strings and domain labels.
enum EmailGrammar {
    static func isMailbox(_ scalars: [Unicode.Scalar], international: Bool) -> Bool {
        guard let at = localPartEnd(scalars, international: international), at < scalars.count,
            scalars[at] == "@"
        else { return false }
        let localOctets = String(String.UnicodeScalarView(scalars[..<at])).utf8.count
        guard localOctets <= 64 else { return false }
        let domain = scalars[(at + 1)...]
        if domain.first == "[" {
            guard domain.last == "]", domain.count > 2 else { return false }
            let literal = domain.dropFirst().dropLast()
            let tag = String(String.UnicodeScalarView(literal.prefix(5)))
            if tag.lowercased() == "ipv6:" { return HostGrammar.isIPv6(literal.dropFirst(5)) }  // the tag in any case
            return HostGrammar.isIPv4(literal)
        }
        return domain.count <= 255 && HostGrammar.isHostname(domain, international: international)
    }

    /// The index just after a valid local part, or nil.
    private static func localPartEnd(_ scalars: [Unicode.Scalar], international: Bool) -> Int? {
        var index = 0
        if scalars.first == "\"" {
            index = 1
            while index < scalars.count {
                let scalar = scalars[index]
                switch scalar {
                case "\"":
                    return index + 1
                case "\\":
                    guard index + 1 < scalars.count, (0x20...0x7E).contains(scalars[index + 1].value) else {
                        return nil
                    }
                    index += 2
                case " "..."!", "#"..."[", "]"..."~":
                    index += 1
                default:
                    guard international, !scalar.isASCII else { return nil }
                    index += 1
                }
            }
            return nil
        }
        var atomLength = 0
        while index < scalars.count, scalars[index] != "@" {
            let scalar = scalars[index]
            if scalar == "." {
                guard atomLength > 0 else { return nil }
                atomLength = 0
            } else {
                guard isAtext(scalar) || (international && !scalar.isASCII) else { return nil }
                atomLength += 1
            }
            index += 1
        }
        return atomLength > 0 ? index : nil
    }

    private static func isAtext(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
            || "!#$%&'*+-/=?^_`{|}~".unicodeScalars.contains(scalar)
    }
}
