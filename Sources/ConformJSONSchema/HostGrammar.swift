/// Host names and IP addresses, for the `hostname`, `ipv4` and `ipv6` formats, email domains and URI hosts.
enum HostGrammar {
    /// RFC 1123 §2.1: dot-separated labels of 1 to 63 letters, digits and hyphens, neither starting nor ending
    /// with a hyphen, 253 characters at most. `international` also admits non-ASCII characters in labels (the
    /// U-labels of an internationalized email domain).
    static func isHostname(_ scalars: ArraySlice<Unicode.Scalar>, international: Bool) -> Bool {
        guard !scalars.isEmpty, scalars.count <= 253 else { return false }
        for label in scalars.split(separator: ".", omittingEmptySubsequences: false) {
            guard (1...63).contains(label.count), label.first != "-", label.last != "-" else { return false }
            for scalar in label {
                let isLetterDigitHyphen =
                    ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                    || scalar == "-"
                guard isLetterDigitHyphen || (international && !scalar.isASCII) else { return false }
            }
        }
        return true
    }

    /// Four decimal numbers from 0 to 255 without leading zeros, ASCII digits only.
    static func isIPv4(_ scalars: ArraySlice<Unicode.Scalar>) -> Bool {
        let parts = scalars.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy({ ("0"..."9").contains($0) }),
                part.count == 1 || part.first != "0"
            else { return false }
            let value = part.reduce(0) { $0 * 10 + Int($1.value - 0x30) }
            guard value <= 255 else { return false }
        }
        return true
    }

    /// RFC 4291 §2.2: eight groups of 1 to 4 hex digits, one `::` standing for one or more zero groups, and
    /// optionally an IPv4 address in place of the last two groups. No zone index (`%eth0`).
    static func isIPv6(_ scalars: ArraySlice<Unicode.Scalar>) -> Bool {
        let text = Array(scalars)
        guard text.count >= 2 else { return false }
        if let start = (0..<(text.count - 1)).first(where: { text[$0] == ":" && text[$0 + 1] == ":" }) {
            let rest = text[(start + 2)...]
            for index in rest.indices.dropLast() where rest[index] == ":" && rest[index + 1] == ":" { return false }
            guard let left = groupCount(text[..<start], allowIPv4: false),
                let right = groupCount(rest, allowIPv4: true)
            else { return false }
            return left + right <= 7
        }
        return groupCount(text[...], allowIPv4: true) == 8
    }

    /// How many 16-bit groups a `:`-separated run holds (an IPv4 tail counts two); nil when it is not valid.
    private static func groupCount(_ run: ArraySlice<Unicode.Scalar>, allowIPv4: Bool) -> Int? {
        guard !run.isEmpty else { return 0 }
        let groups = run.split(separator: ":", omittingEmptySubsequences: false)
        var count = 0
        for (offset, group) in groups.enumerated() {
            if allowIPv4, offset == groups.count - 1, group.contains(".") {
                guard isIPv4(group) else { return nil }
                count += 2
                continue
            }
            guard (1...4).contains(group.count), group.allSatisfy(isHexDigit) else { return nil }
            count += 1
        }
        return count
    }

    static func isHexDigit(_ scalar: Unicode.Scalar) -> Bool {
        ("0"..."9").contains(scalar) || ("a"..."f").contains(scalar) || ("A"..."F").contains(scalar)
    }
}
