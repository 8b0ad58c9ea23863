/// Explains what an exchange's phases show, as notes: the patterns that point at a cause outside the
/// endpoint's own work.
///
/// - A small body that arrives tens of milliseconds after the headers: the server wrote headers and body
///   separately with Nagle's algorithm on (no `TCP_NODELAY`), and its second write waited for the client's
///   delayed ACK (40 ms on Linux, up to 200 ms on Windows).
/// - A TCP connect of about a second or more: a SYN, or its answer, was lost and sent again after the
///   first retransmission timeout (1 s): a full listen backlog or a firewall that drops connections.
/// - A TLS handshake far slower than the TCP connect: the server builds a long certificate chain or fetches
///   OCSP responses while the client waits.
struct PhaseDiagnosis: Check {
    /// Bodies up to this size fit in one or two segments: a delay before them is not transfer time.
    static let smallBody = 4096
    static let delayedACKRange = 35.0...250.0
    static let synRetransmission = 900.0
    static let slowHandshake = 300.0

    init() {}

    func evaluate(_ response: ResponseUnderTest) -> [Finding] {
        let timing = response.timing
        var notes: [Finding] = []
        let bytes = response.response.body.count
        if let download = timing.download?.milliseconds, bytes > 0, bytes <= Self.smallBody,
            Self.delayedACKRange.contains(download)
        {
            notes.append(
                .note(
                    .phases,
                    "download: \(bytes) bytes of body came over \(Int(Self.delayedACKRange.lowerBound)) ms after the headers: the server likely writes headers and body separately with Nagle's algorithm on (no TCP_NODELAY), and its second write waits for the client's delayed ACK"
                ))
        }
        if let connect = timing.connect?.milliseconds, connect >= Self.synRetransmission {
            notes.append(
                .note(
                    .phases,
                    "connect: TCP alone took over \(Int(Self.synRetransmission)) ms, the mark of a SYN retransmission: a SYN or its answer was lost (a full listen backlog at the server, or a firewall dropping connections)"
                ))
        }
        if let handshake = timing.tls?.milliseconds, handshake >= Self.slowHandshake,
            handshake > 4 * (timing.connect?.milliseconds ?? 0)
        {
            notes.append(
                .note(
                    .phases,
                    "tls: the handshake took over \(Int(Self.slowHandshake)) ms, several times the TCP connect: the server may be building a long certificate chain or fetching OCSP responses"
                ))
        }
        return notes
    }
}
