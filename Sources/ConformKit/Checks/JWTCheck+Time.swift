import ConformJSON
import ConformSupport
import Foundation

/// The token's times: `exp` in the future, `iat` and `nbf` not in the future, `exp - iat` equal to the
/// lifetime the response states (`expires_in`), each within the expectation's skew.
///
/// The reference is the response's `Date` when it has one (the server's own clock, which issued the
/// token), else the local clock. When both are there and differ by more than the skew, the local clock is
/// named as skewed (a warning): a token that is fine by the server's `Date` is not blamed on the server.
extension JWTCheck {
    func timeFindings(_ token: JSONWebToken, response: ResponseUnderTest) -> [Finding] {
        var findings: [Finding] = []
        let skew = expectation.skewSeconds
        if let field = expectation.lifetimeField, let problem = lifetimeProblem(token, field: field, response) {
            findings.append(.failure(.jwtTime, "\(path): JWT \(problem)", location: location))
        }
        guard expectation.checksTimes else { return findings }
        let local = now().timeIntervalSince1970
        let served = response.response.header("Date").flatMap(HTTPDate.parse)
        let reference = served ?? local
        let against = served == nil ? "the local clock" : "the response's Date"
        if let served, abs(local - served) > skew {
            let direction = local > served ? "ahead of" : "behind"
            findings.append(
                .warning(
                    .jwtTime,
                    "\(path): JWT times judged against the response's Date (\(Self.iso(served))): the local clock (\(Self.iso(local))) is \(Self.span(abs(local - served))) \(direction) it, more than the \(JSONValue.format(skew)) s skew allowed; check this machine's clock",
                    location: location
                ))
        }
        if let exp = token.numericDate("exp"), exp + skew <= reference {
            findings.append(
                .failure(
                    .jwtTime,
                    "\(path): JWT exp: \(Self.stamp(exp)) is \(Self.span(reference - exp)) before \(against) (\(Self.iso(reference)))",
                    location: location
                ))
        }
        for claim in ["iat", "nbf"] {
            guard let time = token.numericDate(claim), time - skew > reference else { continue }
            findings.append(
                .failure(
                    .jwtTime,
                    "\(path): JWT \(claim): \(Self.stamp(time)) is \(Self.span(time - reference)) after \(against) (\(Self.iso(reference))), more than the \(JSONValue.format(skew)) s skew allowed",
                    location: location
                ))
        }
        for claim in ["exp", "iat", "nbf"] where token.claims[claim] != nil && token.numericDate(claim) == nil {
            findings.append(
                .failure(
                    .jwtTime,
                    "\(path): JWT \(claim): expected a NumericDate (a JSON number of seconds), got \(Self.seen(token.claims[claim]))",
                    location: location
                ))
        }
        return findings
    }

    /// `exp - iat` against the response's own statement of the lifetime.
    private func lifetimeProblem(_ token: JSONWebToken, field: FieldPath, _ response: ResponseUnderTest) -> String? {
        guard let stated = response.document.field(at: field) else { return nil }
        let seconds: Double?
        switch stated {
        case .json(.number(let number)): seconds = number
        case .json(.string(let text)): seconds = Double(text).flatMap { $0.isFinite ? $0 : nil }
        default: seconds = nil
        }
        guard let seconds else {
            return "exp - iat not compared: \(field) is \(stated.seen), not a number of seconds"
        }
        guard let exp = token.numericDate("exp"), let iat = token.numericDate("iat") else {
            let absent = ["iat", "exp"].filter { token.numericDate($0) == nil }.joined(separator: " and ")
            return "exp - iat cannot be compared with \(field) \(JSONValue.format(seconds)): no numeric \(absent)"
        }
        let lifetime = exp - iat
        guard abs(lifetime - seconds) > expectation.skewSeconds else { return nil }
        return
            "exp - iat is \(JSONValue.format(lifetime)) s (iat \(JSONValue.format(iat)), exp \(JSONValue.format(exp))), but \(field) says \(JSONValue.format(seconds)) s (\(JSONValue.format(expectation.skewSeconds)) s skew allowed)"
    }

    /// `1708719 (1970-01-20T18:38:39Z)`.
    static func stamp(_ seconds: Double) -> String {
        "\(JSONValue.format(seconds)) (\(iso(seconds)))"
    }

    static func iso(_ seconds: Double) -> String {
        guard abs(seconds) < 253_402_300_800 else { return "beyond year 9999" }
        return ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: seconds.rounded(.down)))
    }

    /// A duration in the largest unit that keeps it readable: `4 s`, `12 minutes`, `3 hours`, `56 years`.
    static func span(_ seconds: Double) -> String {
        let value = abs(seconds)
        func count(_ unit: Double, _ name: String) -> String {
            let whole = (value / unit).rounded(.down)
            return "\(JSONValue.format(whole)) \(name)\(whole == 1 ? "" : "s")"
        }
        if value < 120 { return "\(JSONValue.format(value.rounded(.down))) s" }
        if value < 2 * 3600 { return count(60, "minute") }
        if value < 2 * 86400 { return count(3600, "hour") }
        if value < 2 * 365.25 * 86400 { return count(86400, "day") }
        return count(365.25 * 86400, "year")
    }
}
