import Foundation

/// Finds the first byte that breaks UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above
/// U+10FFFF), in one pass with an ASCII fast path: every response body of every sample goes through it.
package enum UTF8Validation {
    package static func firstInvalidOffset(in data: Data) -> Int? {
        data.withUnsafeBytes { buffer -> Int? in
            let bytes = buffer.bindMemory(to: UInt8.self)
            var index = 0
            while index < bytes.count {
                let lead = bytes[index]
                if lead < 0x80 {
                    index += 1
                    continue
                }
                let length: Int
                var lower: UInt8 = 0x80
                var upper: UInt8 = 0xBF
                switch lead {
                case 0xC2...0xDF: length = 2
                case 0xE0: length = 3; lower = 0xA0
                case 0xE1...0xEC, 0xEE...0xEF: length = 3
                case 0xED: length = 3; upper = 0x9F
                case 0xF0: length = 4; lower = 0x90
                case 0xF1...0xF3: length = 4
                case 0xF4: length = 4; upper = 0x8F
                default: return index
                }
                guard index + length <= bytes.count else { return index }
                guard (lower...upper).contains(bytes[index + 1]) else { return index }
                for offset in 2..<length where !(0x80...0xBF).contains(bytes[index + offset]) { return index }
                index += length
            }
            return nil
        }
    }
}
