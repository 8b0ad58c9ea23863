/// RFC 3986 URIs and URI references, RFC 3987 IRIs, and RFC 6570 URI templates.
///
///     URI           = scheme ":" hier-part [ "?" query ] [ "#" fragment ]
///     relative-ref  = relative-part [ "?" query ] [ "#" fragment ]
///     hier-part     = "//" authority path-abempty / path-absolute / path-rootless / path-empty
///     authority     = [ userinfo "@" ] host [ ":" port ]
///     host          = "[" ( IPv6address / IPvFuture ) "]" / IPv4address / reg-name
///
/// An IRI admits the non-ASCII `ucschar` ranges wherever a URI admits unreserved characters, and `iprivate`
/// in its query. Percent signs must start `%XX`.
struct URIGrammar {
    /// IRI rather than URI rules.
    var international: Bool

    /// An absolute URI (or IRI): a scheme is required; a fragment is allowed.
    func isURI(_ scalars: [Unicode.Scalar]) -> Bool {
        guard let colon = schemeEnd(scalars) else { return false }
        return isRest(scalars[(colon + 1)...], hasScheme: true)
    }

    /// A URI (or IRI) reference: absolute, or relative to a base.
    func isReference(_ scalars: [Unicode.Scalar]) -> Bool {
        if let colon = schemeEnd(scalars) { return isRest(scalars[(colon + 1)...], hasScheme: true) }
        return isRest(scalars[...], hasScheme: false)
    }

    /// The index of the colon that ends a valid scheme, or nil when the text does not start with one.
    private func schemeEnd(_ scalars: [Unicode.Scalar]) -> Int? {
        guard let first = scalars.first, first.isASCII, first.properties.isAlphabetic else { return nil }
        for (index, scalar) in scalars.enumerated().dropFirst() {
            if scalar == ":" { return index }
            let isSchemeCharacter =
                scalar.isASCII
                && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                    || "+-.".unicodeScalars.contains(scalar))
            guard isSchemeCharacter else { return nil }
        }
        return nil
    }

    /// Everything after the scheme's colon (or the whole relative reference).
    private func isRest(_ scalars: ArraySlice<Unicode.Scalar>, hasScheme: Bool) -> Bool {
        var rest = scalars
        if let hash = rest.firstIndex(of: "#") {
            guard isQueryOrFragment(rest[(hash + 1)...], isQuery: false) else { return false }
            rest = rest[..<hash]
        }
        if let question = rest.firstIndex(of: "?") {
            guard isQueryOrFragment(rest[(question + 1)...], isQuery: true) else { return false }
            rest = rest[..<question]
        }
        if rest.starts(with: ["/", "/"]) {
            let afterSlashes = rest.dropFirst(2)
            let pathStart = afterSlashes.firstIndex(of: "/") ?? afterSlashes.endIndex
            return isAuthority(afterSlashes[..<pathStart]) && isPath(afterSlashes[pathStart...])
        }
        // Without a scheme, a colon in the first segment would read as one (path-noscheme).
        if !hasScheme, let colon = rest.firstIndex(of: ":"), !rest[..<colon].contains("/") { return false }
        return isPath(rest)
    }

    private func isPath(_ path: ArraySlice<Unicode.Scalar>) -> Bool {
        isRun(path) { isPathCharacter($0) || $0 == "/" }
    }

    private func isQueryOrFragment(_ text: ArraySlice<Unicode.Scalar>, isQuery: Bool) -> Bool {
        isRun(text) { isPathCharacter($0) || $0 == "/" || $0 == "?" || (isQuery && international && isPrivate($0)) }
    }

    private func isAuthority(_ authority: ArraySlice<Unicode.Scalar>) -> Bool {
        var hostPart = authority
        if let at = authority.firstIndex(of: "@") {
            guard isRun(authority[..<at], { isUnreserved($0) || isSubDelimiter($0) || $0 == ":" }) else { return false }
            hostPart = authority[(at + 1)...]
        }
        if hostPart.first == "[" {
            guard let close = hostPart.firstIndex(of: "]") else { return false }
            let literal = hostPart[(hostPart.startIndex + 1)..<close]
            guard HostGrammar.isIPv6(literal) || isFutureAddress(literal) else { return false }
            return isPort(hostPart[(close + 1)...])
        }
        let colon = hostPart.lastIndex(of: ":")
        let host = colon.map { hostPart[..<$0] } ?? hostPart
        guard colon.map({ isPort(hostPart[$0...]) }) ?? true else { return false }
        return isRun(host) { isUnreserved($0) || isSubDelimiter($0) }
    }

    /// Empty, or `:` and digits.
    private func isPort(_ text: ArraySlice<Unicode.Scalar>) -> Bool {
        guard let first = text.first else { return true }
        return first == ":" && text.dropFirst().allSatisfy { ("0"..."9").contains($0) }
    }

    /// `v1.xyz`: IPvFuture.
    private func isFutureAddress(_ text: ArraySlice<Unicode.Scalar>) -> Bool {
        guard text.first == "v" || text.first == "V", let dot = text.firstIndex(of: ".") else { return false }
        let version = text[(text.startIndex + 1)..<dot]
        let address = text[(dot + 1)...]
        return !version.isEmpty && version.allSatisfy(HostGrammar.isHexDigit) && !address.isEmpty
            && address.allSatisfy { ($0.isASCII && isUnreserved($0)) || isSubDelimiter($0) || $0 == ":" }
    }

    /// Every character passes `test`, except that `%` must start a `%XX` escape.
    func isRun(_ text: ArraySlice<Unicode.Scalar>, _ test: (Unicode.Scalar) -> Bool) -> Bool {
        var index = text.startIndex
        while index < text.endIndex {
            let scalar = text[index]
            if scalar == "%" {
                guard index + 2 < text.endIndex, HostGrammar.isHexDigit(text[index + 1]),
                    HostGrammar.isHexDigit(text[index + 2])
                else { return false }
                index += 3
                continue
            }
            guard test(scalar) else { return false }
            index += 1
        }
        return true
    }

    // MARK: - Character classes

    private func isPathCharacter(_ scalar: Unicode.Scalar) -> Bool {
        isUnreserved(scalar) || isSubDelimiter(scalar) || scalar == ":" || scalar == "@"
    }

    private func isUnreserved(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            return scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                || "-._~".unicodeScalars.contains(scalar)
        }
        return international && isUCSCharacter(scalar)
    }

    private func isSubDelimiter(_ scalar: Unicode.Scalar) -> Bool {
        "!$&'()*+,;=".unicodeScalars.contains(scalar)
    }

    /// RFC 3987's ucschar.
    func isUCSCharacter(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if (0xA0...0xD7FF).contains(value) || (0xF900...0xFDCF).contains(value) || (0xFDF0...0xFFEF).contains(value) {
            return true
        }
        // %x10000-1FFFD / %x20000-2FFFD / … / %xE1000-EFFFD: every plane but its last two code points.
        return value >= 0x10000 && value <= 0xEFFFD && value & 0xFFFF <= 0xFFFD && !(0xE0000...0xE0FFF).contains(value)
    }

    /// RFC 3987's iprivate (allowed in a query).
    func isPrivate(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return (0xE000...0xF8FF).contains(value) || (0xF0000...0xFFFFD).contains(value)
            || (0x100000...0x10FFFD).contains(value)
    }
}
