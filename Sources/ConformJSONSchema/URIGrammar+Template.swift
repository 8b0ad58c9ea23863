/// RFC 6570 §2 URI templates (level 4): literals and `{…}` expressions.
///
///     expression = "{" [ "+" / "#" / "." / "/" / ";" / "?" / "&" ] varspec *( "," varspec ) "}"
///     varspec    = varname [ ":" 1-9999 / "*" ]
///     varname    = varchar *( ["."] varchar )    ; varchar = ALPHA / DIGIT / "_" / pct-encoded
///
/// The operators RFC 6570 reserves for future use (`=`, `,`, `!`, `@`, `|`) are refused. An apostrophe is a
/// literal, as the JSON-Schema-Test-Suite expects (RFC 6570's erratum 6937).
extension URIGrammar {
    func isTemplate(_ scalars: [Unicode.Scalar]) -> Bool {
        var literalStart = 0
        var index = 0
        while index < scalars.count {
            guard scalars[index] == "{" else {
                guard scalars[index] != "}" else { return false }
                index += 1
                continue
            }
            guard isRun(scalars[literalStart..<index], isLiteral),
                let close = scalars[index...].firstIndex(of: "}"), isExpression(scalars[(index + 1)..<close])
            else { return false }
            index = close + 1
            literalStart = index
        }
        return isRun(scalars[literalStart...], isLiteral)
    }

    private func isLiteral(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x21, 0x23...0x24, 0x26...0x27, 0x28...0x3B, 0x3D, 0x3F...0x5B, 0x5D, 0x5F, 0x61...0x7A, 0x7E: true
        default: isUCSCharacter(scalar) || isPrivate(scalar)
        }
    }

    private func isExpression(_ body: ArraySlice<Unicode.Scalar>) -> Bool {
        var specs = body
        if let first = specs.first, "+#./;?&".unicodeScalars.contains(first) { specs = specs.dropFirst() }
        return specs.split(separator: ",", omittingEmptySubsequences: false).allSatisfy(isVariableSpec)
    }

    private func isVariableSpec(_ spec: ArraySlice<Unicode.Scalar>) -> Bool {
        var name = spec
        if spec.last == "*" {
            name = spec.dropLast()
        } else if let colon = spec.firstIndex(of: ":") {
            let length = spec[(colon + 1)...]
            guard (1...4).contains(length.count), length.first != "0",
                length.allSatisfy({ ("0"..."9").contains($0) })
            else { return false }
            name = spec[..<colon]
        }
        guard !name.isEmpty, name.first != ".", name.last != "." else { return false }
        var previousWasDot = false
        return isRun(name) { scalar in
            defer { previousWasDot = scalar == "." }
            if scalar == "." { return !previousWasDot }
            return scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_")
        }
    }
}
