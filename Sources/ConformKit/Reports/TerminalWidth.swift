import Foundation

/// How wide a terminal is, and a line cut to fit it: the live progress line is redrawn in place with `\r`,
/// which only works while it never wraps, so it is cut to one column less than the terminal is wide.
enum TerminalWidth {
    /// Used when neither the terminal nor `COLUMNS` says.
    static let fallbackColumns = 80
    /// Columns below this are taken as a wrong answer (a terminal of 0 columns), and the fallback used.
    static let minimumColumns = 8

    /// The terminal's width: what the terminal says (`TIOCGWINSZ` on its descriptor), else `COLUMNS`, else
    /// ``fallbackColumns``.
    static func columns(reported: Int?, environment: [String: String]) -> Int {
        if let reported, reported >= minimumColumns { return reported }
        if let text = environment["COLUMNS"], let columns = Int(text), columns >= minimumColumns {
            return min(columns, 10_000)
        }
        return fallbackColumns
    }

    /// The width of a terminal behind a descriptor; `nil` when it is not a terminal or does not say.
    static func columns(ofDescriptor descriptor: Int32) -> Int? {
        var size = winsize()
        let status = withUnsafeMutablePointer(to: &size) { ioctl(descriptor, UInt(TIOCGWINSZ), $0) }
        guard status == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }

    /// `line` cut to take fewer than `columns` columns, ending in "…" when cut. East Asian wide characters
    /// and emoji take two columns; combining marks none (a `Character` is measured by its first scalar).
    /// Linear in the line.
    static func fitted(_ line: String, columns: Int) -> String {
        let limit = max(columns - 1, 1)
        var used = 0
        var end = line.startIndex
        var cut: String.Index?
        for index in line.indices {
            let width = self.width(of: line[index])
            // Keep one column for the ellipsis until the whole line is known to fit.
            if cut == nil, used + width > limit - 1 { cut = index }
            if used + width > limit { return String(line[..<(cut ?? index)]) + "…" }
            used += width
            end = line.index(after: index)
        }
        return String(line[..<end])
    }

    static func width(of character: Character) -> Int {
        guard let scalar = character.unicodeScalars.first else { return 0 }
        let value = scalar.value
        if value < 0x1100 { return 1 }
        let wide: [ClosedRange<UInt32>] = [
            0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
            0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F,
            0x1F900...0x1F9FF, 0x20000...0x3FFFD,
        ]
        return wide.contains { $0.contains(value) } ? 2 : 1
    }
}
