import Foundation
import Testing

@testable import ConformJSONSchema
@testable import ConformKit

/// `multipleOf` decides on the decimals the JSON text wrote, not on their binary approximations.
@Suite struct JSONSchemaDecimalMultipleTests {
    @Test func numbersAreReadAsTheirShortestDecimal() {
        #expect(DecimalMultiple.decimal(0.0001) == DecimalMultiple.Decimal(digits: 1, exponent: -4))
        #expect(DecimalMultiple.decimal(-12.5) == DecimalMultiple.Decimal(digits: 125, exponent: -1))
        #expect(DecimalMultiple.decimal(1e-8) == DecimalMultiple.Decimal(digits: 1, exponent: -8))
        #expect(DecimalMultiple.decimal(12391239123) == DecimalMultiple.Decimal(digits: 12391239123, exponent: 0))
        #expect(DecimalMultiple.decimal(1500) == DecimalMultiple.Decimal(digits: 15, exponent: 2))
        #expect(DecimalMultiple.decimal(1e308) == DecimalMultiple.Decimal(digits: 1, exponent: 308))
        #expect(DecimalMultiple.decimal(5e-324) == DecimalMultiple.Decimal(digits: 5, exponent: -324))
        #expect(
            DecimalMultiple.decimal(0.30000000000000004)
                == DecimalMultiple.Decimal(digits: 30_000_000_000_000_004, exponent: -17))
        #expect(DecimalMultiple.decimal(0) == DecimalMultiple.Decimal(digits: 0, exponent: 0))
    }

    @Test func multiples() {
        let cases: [(Double, Double, Bool)] = [
            (0.3, 0.1, true), (0.0075, 0.0001, true), (19.99, 0.01, true), (1.005, 0.01, false),
            (4.5, 1.5, true), (35, 1.5, false), (-7, 3.5, true), (0, 0.7, true), (10, 3, false),
            (12391239123, 1e-8, true), (1e308, 0.123456789, false), (1e308, 1e300, true), (1e-300, 1e-301, true),
            (1e-301, 1e-300, false), (0.30000000000000004, 0.1, false), (9007199254740993, 3, false),
            (123456789012, 1000, false), (123456789000, 1000, true), (2.5e-10, 5e-11, true),
        ]
        for (value, divisor, expected) in cases {
            #expect(
                DecimalMultiple.isMultiple(value, of: divisor) == expected,
                "\(value) multipleOf \(divisor)")
        }
    }
}
