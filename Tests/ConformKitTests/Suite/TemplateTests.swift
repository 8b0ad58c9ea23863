import Testing

@testable import ConformKit

@Suite struct TemplateTests {
    @Test func parsesReferencesAndLiterals() throws {
        let template = try Template.parse("Bearer ${token} from ${env:HOME}!")
        #expect(
            template.segments == [
                .literal("Bearer "), .variable("token"), .literal(" from "), .environment("HOME"), .literal("!"),
            ])
    }

    @Test func escapesDollarBrace() throws {
        let template = try Template.parse("$${literal} and $5")
        #expect(template.segments == [.literal("${literal} and $5")])
        #expect(template.isLiteral)
    }

    @Test func rejectsBadReferences() {
        #expect(throws: Template.ParseError.unterminated(offset: 2)) { try Template.parse("a ${b") }
        #expect(throws: Template.ParseError.invalidName("a-b")) { try Template.parse("${a-b}") }
        #expect(throws: Template.ParseError.unknownNamespace("vault")) { try Template.parse("${vault:x}") }
    }

    @Test func rendersOrGivesNilWhenAValueIsMissing() throws {
        let template = try Template.parse("x=${a}&y=${b}")
        #expect(template.render { $0 == .variable("a") ? "1" : $0 == .variable("b") ? "2" : nil } == "x=1&y=2")
        #expect(template.render { $0 == .variable("a") ? "1" : nil } == nil)
    }
}
