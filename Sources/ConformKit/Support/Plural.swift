/// A count with its noun in the right number: "1 error", "2 errors", "0 cases".
enum Plural {
    /// `count` and `noun`, with `plural` (default: the noun and "s") unless the count is exactly 1.
    static func count(_ count: Int, _ noun: String, plural: String? = nil) -> String {
        "\(count) \(count == 1 ? noun : plural ?? noun + "s")"
    }
}
