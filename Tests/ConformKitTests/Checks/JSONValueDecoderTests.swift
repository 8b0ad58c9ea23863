import Foundation
import Testing

@testable import ConformJSON
@testable import ConformKit

/// ``JSONValueDecoder`` judged against Foundation's `JSONDecoder` on the same bodies: the same value, or
/// the same kind of error at the same coding path.
@Suite struct JSONValueDecoderTests {
    struct Inner: Codable, Equatable {
        var small: UInt8
    }

    struct Sample: Codable, Equatable {
        var text: String
        var real: Double
        var whole: Int
        var flag: Bool
        var maybe: String?
        var inner: Inner
        var list: [Int]
    }

    /// What a decoding ended in, comparable across the two decoders.
    enum Outcome: Equatable {
        case value(Sample)
        case keyNotFound(path: String)
        case typeMismatch(path: String)
        case valueNotFound(path: String)
        case dataCorrupted(path: String)
    }

    static func outcome(_ decode: () throws -> Sample) -> Outcome {
        do {
            return .value(try decode())
        } catch DecodingError.keyNotFound(let key, let context) {
            return .keyNotFound(path: JSONModelCheck.path(context.codingPath + [key]))
        } catch DecodingError.typeMismatch(_, let context) {
            return .typeMismatch(path: JSONModelCheck.path(context.codingPath))
        } catch DecodingError.valueNotFound(_, let context) {
            return .valueNotFound(path: JSONModelCheck.path(context.codingPath))
        } catch DecodingError.dataCorrupted(let context) {
            return .dataCorrupted(path: JSONModelCheck.path(context.codingPath))
        } catch {
            return .dataCorrupted(path: "unexpected \(error)")
        }
    }

    static let valid =
        #"{"text":"a","real":1.5,"whole":3,"flag":true,"maybe":"m","inner":{"small":7},"list":[1,2],"extra":0}"#

    /// The valid body with one member replaced (or removed, for `nil`).
    static func body(_ key: String, _ json: String?) -> String {
        var object = try! JSONSerialization.jsonObject(with: Data(valid.utf8)) as! [String: Any]
        let path = key.split(separator: ".").map(String.init)
        func replace(_ object: inout [String: Any], _ path: ArraySlice<String>) {
            if path.count == 1 {
                object[path.first!] = json.map { try! JSONSerialization.jsonObject(with: Data($0.utf8), options: .fragmentsAllowed) }
                return
            }
            var nested = object[path.first!] as! [String: Any]
            replace(&nested, path.dropFirst())
            object[path.first!] = nested
        }
        replace(&object, path[...])
        return String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    static let cases: [(String, String, Outcome)] = [
        ("the valid body", valid, .value(Sample(text: "a", real: 1.5, whole: 3, flag: true, maybe: "m", inner: Inner(small: 7), list: [1, 2]))),
        ("a number for a string", body("text", "3"), .typeMismatch(path: "text")),
        ("a string for a number", body("real", #""1.5""#), .typeMismatch(path: "real")),
        ("a fraction for an integer", body("whole", "1.5"), .dataCorrupted(path: "whole")),
        ("an integer out of range", body("inner.small", "256"), .dataCorrupted(path: "inner.small")),
        ("a negative unsigned", body("inner.small", "-1"), .dataCorrupted(path: "inner.small")),
        ("a string for a Bool", body("flag", #""true""#), .typeMismatch(path: "flag")),
        ("a number for a Bool", body("flag", "1"), .typeMismatch(path: "flag")),
        ("null for a required string", body("text", "null"), .valueNotFound(path: "text")),
        ("a missing required key", body("whole", nil), .keyNotFound(path: "whole")),
        ("a missing nested key", body("inner.small", nil), .keyNotFound(path: "inner.small")),
        ("an array for an object", body("inner", "[1]"), .typeMismatch(path: "inner")),
        ("null for an object", body("inner", "null"), .valueNotFound(path: "inner")),
        ("a string in an integer array", body("list", #"[1,"2"]"#), .typeMismatch(path: "list[1]")),
        ("null in an integer array", body("list", "[1,null]"), .valueNotFound(path: "list[1]")),
        ("an object for an array", body("list", "{}"), .typeMismatch(path: "list")),
        ("an array at the top", "[1,2]", .typeMismatch(path: "")),
    ]

    @Test(arguments: cases)
    func agreesWithJSONDecoder(name: String, json: String, expected: Outcome) throws {
        let data = Data(json.utf8)
        let value = try #require(JSONValue.decode(data), "\(name): not JSON")
        let foundation = Self.outcome { try JSONDecoder().decode(Sample.self, from: data) }
        let ours = Self.outcome { try JSONValueDecoder.decode(Sample.self, from: value) }
        #expect(ours == expected, "\(name): JSONValueDecoder")
        if case .dataCorrupted = expected {
            // JSONDecoder reports a number that does not fit at the top of the document.
            #expect(foundation == .dataCorrupted(path: ""), "\(name): JSONDecoder")
        } else {
            #expect(foundation == expected, "\(name): JSONDecoder")
        }
    }

    @Test func aNumberThatDoesNotFitNamesItsFieldAndType() throws {
        let value = try #require(JSONValue.decode(Data(Self.body("inner.small", "256").utf8)))
        #expect(throws: DecodingError.self) { try JSONValueDecoder.decode(Sample.self, from: value) }
        do {
            _ = try JSONValueDecoder.decode(Sample.self, from: value)
        } catch DecodingError.dataCorrupted(let context) {
            #expect(JSONModelCheck.path(context.codingPath) == "inner.small")
            #expect(context.debugDescription == "expected an integer that fits UInt8, got number 256")
        }
    }

    @Test func anOptionalIsNilWhenMissingOrNull() throws {
        for json in [Self.body("maybe", nil), Self.body("maybe", "null")] {
            let value = try #require(JSONValue.decode(Data(json.utf8)))
            #expect(try JSONValueDecoder.decode(Sample.self, from: value).maybe == nil)
        }
    }
}
