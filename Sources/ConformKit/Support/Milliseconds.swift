import ConformJSON
import Foundation

/// How conform writes durations in milliseconds.
enum Milliseconds {
    /// For people: at most one decimal, no trailing zero (`2000`, `2504.3`): console, messages, HTML.
    static func text(_ milliseconds: Double) -> String {
        JSONValue.format((milliseconds * 10).rounded() / 10)
    }

    /// For report properties: two decimals, so that sub-millisecond differences show (`100.35`).
    static func property(_ milliseconds: Double) -> String {
        String(format: "%.2f", milliseconds)
    }

    /// Samples a second for people: whole numbers from 10 up (`3040/s`), one decimal below (`0.4/s`), so that
    /// a slow case's rate does not read as zero; `nil` before any time has passed.
    static func rate(samples: Int, over milliseconds: Double) -> String? {
        guard milliseconds > 0 else { return nil }
        let rate = Double(samples) * 1000 / milliseconds
        let shown = rate >= 10 ? rate.rounded() : (rate * 10).rounded() / 10
        return "\(JSONValue.format(shown))/s"
    }
}
