import Foundation

/// Counts of a repeated case, as data: each output renders them.
extension CaseResult {
    /// How many samples got one status.
    struct StatusCount: Sendable, Equatable {
        var status: Int
        var count: Int
    }

    /// How many samples went over a new connection and how many reused one.
    struct ConnectionCounts: Sendable, Equatable {
        var new: Int
        var reused: Int
        /// The median TCP connect time of the new connections, over several samples.
        var connectMedianMilliseconds: Double?
        /// One exchange, not a count over samples: said as one word.
        var single = false

        /// `new`, `reused`, or `3 new (connect median 1.2 ms), 17 reused` over several samples.
        var text: String {
            if single { return new > 0 ? "new" : "reused" }
            let connect = connectMedianMilliseconds.map { " (connect median \(Milliseconds.text($0)) ms)" } ?? ""
            return "\(new) new\(connect), \(reused) reused"
        }
    }

    /// `200 ×1, 400 ×4`: the statuses of the samples, when they differ.
    var statusSummary: String? {
        statusCounts.isEmpty ? nil : statusCounts.map { "\($0.status) ×\($0.count)" }.joined(separator: ", ")
    }

    /// The connections as text, as the console, JUnit and HTML show them.
    var connections: String? { connectionCounts?.text }
}
