import ConformRegex
import Foundation

/// Which cases run: `--filter` (a regular expression on case names), `--tag`, `--skip-tag`, `--shard I/N`.
///
/// Captures make a case depend on the earlier cases that capture what it sends, and a comparison on the
/// cases it samples: a selected case pulls in what it depends on, and a shard never splits such a chain.
struct CaseSelection: Sendable {
    struct Shard: Sendable, Equatable {
        /// 1-based.
        var index: Int
        var count: Int

        /// Parses `I/N` with 1 ≤ I ≤ N.
        init?(_ text: String) {
            let parts = text.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count >= 1,
                (1...count).contains(index)
            else { return nil }
            self.index = index
            self.count = count
        }
    }

    var filter: String?
    var tags: [String] = []
    var skipTags: [String] = []
    var shard: Shard?

    init(filter: String? = nil, tags: [String] = [], skipTags: [String] = [], shard: Shard? = nil) {
        self.filter = filter
        self.tags = tags
        self.skipTags = skipTags
        self.shard = shard
    }

    /// The cases of one suite that run, in file order, and why a case that was not chosen runs anyway.
    struct Selected: Sendable {
        var suite: Suite
        var cases: [TestCase]
        /// Case name → the chosen case that needs it.
        var pulledIn: [String: String]
    }

    var selectsEverything: Bool { filter == nil && tags.isEmpty && skipTags.isEmpty && shard == nil }

    /// The cases chosen by name and tags, with their dependencies, before sharding.
    func choose(_ suites: [Suite]) -> [Selected] {
        let expression = filter.flatMap { try? LinearRegex($0) }
        return suites.map { suite in
            let dependencies = Self.dependencies(in: suite)
            var chosen: [String] = []
            for testCase in suite.cases where matches(testCase, expression) { chosen.append(testCase.name) }
            var included = Set(chosen)
            var pulledIn: [String: String] = [:]
            var pending = chosen
            while let name = pending.popLast() {
                for dependency in dependencies[name] ?? [] where !included.contains(dependency) {
                    included.insert(dependency)
                    pulledIn[dependency] = name
                    pending.append(dependency)
                }
            }
            return Selected(suite: suite, cases: suite.cases.filter { included.contains($0.name) }, pulledIn: pulledIn)
        }
    }

    /// The chosen cases of this shard: chains (connected by dependencies) are assigned whole, largest
    /// first, each to the shard with the fewest cases so far; ties go to the lower shard and to the earlier
    /// suite and case, so every shard of a CI matrix computes the same split.
    func apply(_ suites: [Suite]) -> [Selected] {
        let chosen = choose(suites)
        guard let shard else { return chosen }
        struct Unit {
            var suite: Int
            var first: Int
            var names: Set<String>
        }
        var units: [Unit] = []
        for (suiteIndex, selected) in chosen.enumerated() {
            let dependencies = Self.dependencies(in: selected.suite)
            var component: [String: Int] = [:]
            for (caseIndex, testCase) in selected.cases.enumerated() {
                var linked = Set(dependencies[testCase.name] ?? []).compactMap { component[$0] }
                linked = Array(Set(linked)).sorted()
                if let target = linked.first {
                    for other in linked.dropFirst().reversed() {
                        units[target].names.formUnion(units[other].names)
                        for name in units[other].names { component[name] = target }
                        units[other].names = []
                    }
                    units[target].names.insert(testCase.name)
                    component[testCase.name] = target
                } else {
                    component[testCase.name] = units.count
                    units.append(Unit(suite: suiteIndex, first: caseIndex, names: [testCase.name]))
                }
            }
        }
        units.removeAll { $0.names.isEmpty }
        let order = units.sorted { ($0.names.count, -$0.suite, -$0.first) > ($1.names.count, -$1.suite, -$1.first) }
        var loads = Array(repeating: 0, count: shard.count)
        var mine: Set<String> = []
        for unit in order {
            let target = loads.indices.min { (loads[$0], $0) < (loads[$1], $1) } ?? 0
            loads[target] += unit.names.count
            if target == shard.index - 1 { mine.formUnion(unit.names.map { "\(unit.suite)/\($0)" }) }
        }
        return chosen.enumerated().map { suiteIndex, selected in
            var kept = selected
            kept.cases = selected.cases.filter { mine.contains("\(suiteIndex)/\($0.name)") }
            return kept
        }
    }

    /// A name on which `--filter` is too costly is not chosen; the planner refuses the run before
    /// (``unmatchableName(in:)``).
    private func matches(_ testCase: TestCase, _ expression: LinearRegex?) -> Bool {
        if let expression, (try? expression.matches(in: testCase.name)) != true { return false }
        if !tags.isEmpty && Set(tags).isDisjoint(with: testCase.tags) { return false }
        return Set(skipTags).isDisjoint(with: testCase.tags)
    }

    /// The first case name on which `--filter` would need more than ``LinearRegex/maximumSteps`` steps, with
    /// the regex engine's words.
    func unmatchableName(in suites: [Suite]) -> (name: String, stop: LinearRegex.Stop)? {
        guard let expression = filter.flatMap({ try? LinearRegex($0) }) else { return nil }
        for suite in suites {
            for testCase in suite.cases {
                do {
                    _ = try expression.matches(in: testCase.name)
                } catch {
                    return (testCase.name, error)
                }
            }
        }
        return nil
    }

    /// Case name → the cases it cannot run without: those that capture what it sends, and those a
    /// comparison samples (with theirs).
    static func dependencies(in suite: Suite) -> [String: [String]] {
        var owner: [String: String] = [:]
        for testCase in suite.cases {
            for capture in testCase.captures { owner[capture.name] = testCase.name }
        }
        var dependencies: [String: [String]] = [:]
        for testCase in suite.cases {
            var needs: [String] = []
            for case .capture(let name) in testCase.sendingReferences {
                if let capturer = owner[name], !needs.contains(capturer) { needs.append(capturer) }
            }
            if case .compare(let comparison) = testCase.action {
                for name in [comparison.faster, comparison.slower] where !needs.contains(name) { needs.append(name) }
            }
            dependencies[testCase.name] = needs
        }
        return dependencies
    }
}
