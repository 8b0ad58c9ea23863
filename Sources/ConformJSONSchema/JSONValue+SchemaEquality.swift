import ConformJSON

/// JSON Schema's equality, for `enum`, `const` and `uniqueItems`: numbers by value (`1 == 1.0`), objects
/// whatever their key order, and strings code point by code point.
///
/// Swift's `String ==` (and so `JSONValue ==`) treats canonically equivalent strings as equal: `"ä"` (U+00E4)
/// equals `"a\u{308}"`. JSON Schema does not, so strings are compared as Unicode scalars here. The hash
/// agrees with this equality, so that `uniqueItems` finds a duplicate among n items in about n steps.
extension JSONValue {
    func schemaEquals(_ other: JSONValue) -> Bool {
        switch (self, other) {
        case (.object(let left), .object(let right)):
            guard left.count == right.count else { return false }
            for (key, value) in left {
                guard let index = right.index(forKey: key),
                    right[index].key.unicodeScalars.elementsEqual(key.unicodeScalars),
                    value.schemaEquals(right[index].value)
                else { return false }
            }
            return true
        case (.array(let left), .array(let right)):
            return left.count == right.count && zip(left, right).allSatisfy { $0.schemaEquals($1) }
        case (.string(let left), .string(let right)):
            return left.unicodeScalars.elementsEqual(right.unicodeScalars)
        case (.number(let left), .number(let right)):
            return left == right
        case (.bool(let left), .bool(let right)):
            return left == right
        case (.null, .null):
            return true
        default:
            return false
        }
    }

    func schemaHash(into hasher: inout Hasher) {
        switch self {
        case .object(let members):
            hasher.combine(0)
            hasher.combine(members.count)
            var sum = 0
            for (key, value) in members {
                var member = Hasher()
                for scalar in key.unicodeScalars { member.combine(scalar.value) }
                value.schemaHash(into: &member)
                sum = sum &+ member.finalize()  // independent of key order
            }
            hasher.combine(sum)
        case .array(let items):
            hasher.combine(1)
            hasher.combine(items.count)
            for item in items { item.schemaHash(into: &hasher) }
        case .string(let string):
            hasher.combine(2)
            for scalar in string.unicodeScalars { hasher.combine(scalar.value) }
            hasher.combine(-1)
        case .number(let number):
            hasher.combine(3)
            hasher.combine(number == 0 ? 0 : number)  // -0 == 0
        case .bool(let bool):
            hasher.combine(4)
            hasher.combine(bool)
        case .null:
            hasher.combine(5)
        }
    }

    var schemaHashValue: Int {
        var hasher = Hasher()
        schemaHash(into: &hasher)
        return hasher.finalize()
    }
}
