/// Exact `multipleOf` for numbers written in decimal.
///
/// In binary floating point 0.3 / 0.1 is 2.9999999999999996, so dividing and checking for an integer
/// refuses values a reader sees as multiples. A number is read instead as the shortest decimal that gives
/// back the same double (what the JSON text said, for up to 17 significant digits: `0.0001` is 1 × 10⁻⁴),
/// and divisibility is decided on those integers with modular arithmetic, however far apart the exponents
/// (`1e308` and `0.123456789` included).
enum DecimalMultiple {
    /// `digits × 10^exponent`.
    struct Decimal: Equatable {
        var digits: UInt64
        var exponent: Int
    }

    static func isMultiple(_ value: Double, of divisor: Double) -> Bool {
        guard value != 0 else { return true }
        guard let number = decimal(value), let unit = decimal(divisor), unit.digits != 0 else { return false }
        let shift = number.exponent - unit.exponent
        if shift >= 0 {
            // unit.digits must divide number.digits × 10^shift.
            let modulus = unit.digits
            let power = powerOfTen(shift, modulo: modulus)
            return multiply(number.digits % modulus, power, modulo: modulus) == 0
        }
        // unit.digits × 10^-shift must divide number.digits, which has at most 17 digits.
        var divisorDigits = unit.digits
        for _ in 0..<(-shift) {
            let (product, overflow) = divisorDigits.multipliedReportingOverflow(by: 10)
            if overflow || product > number.digits { return false }
            divisorDigits = product
        }
        return number.digits % divisorDigits == 0
    }

    /// The shortest decimal that reads back as `value` (sign dropped), from Swift's own shortest rendering.
    static func decimal(_ value: Double) -> Decimal? {
        guard value.isFinite else { return nil }
        let text = value.magnitude.description  // "0.0001", "1e-08", "12391239123.0", "1.5e+300"
        let parts = text.split(separator: "e", maxSplits: 1)
        guard let mantissa = parts.first else { return nil }
        var exponent = parts.count == 2 ? Int(parts[1]) ?? 0 : 0
        let pieces = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let fraction = pieces.count == 2 ? pieces[1] : ""
        exponent -= fraction.count
        var digitText = Substring(String(pieces[0]) + fraction).drop { $0 == "0" }
        while digitText.last == "0" {
            digitText = digitText.dropLast()
            exponent += 1
        }
        if digitText.isEmpty { return Decimal(digits: 0, exponent: 0) }
        guard let digits = UInt64(digitText) else { return nil }
        return Decimal(digits: digits, exponent: exponent)
    }

    private static func multiply(_ a: UInt64, _ b: UInt64, modulo modulus: UInt64) -> UInt64 {
        let product = a.multipliedFullWidth(by: b)
        return modulus.dividingFullWidth((product.high, product.low)).remainder
    }

    private static func powerOfTen(_ exponent: Int, modulo modulus: UInt64) -> UInt64 {
        var result: UInt64 = 1 % modulus
        var base: UInt64 = 10 % modulus
        var remaining = exponent
        while remaining > 0 {
            if remaining & 1 == 1 { result = multiply(result, base, modulo: modulus) }
            base = multiply(base, base, modulo: modulus)
            remaining >>= 1
        }
        return result
    }
}
