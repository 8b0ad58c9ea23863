import Testing

@testable import ConformHTTP
@testable import ConformKit

/// The schedule `--rate` keeps, at given instants: no clock is read.
@Suite struct RequestPacerTests {
    @Test func spacesRequestsThatComeTogether() throws {
        let pacer = RequestPacer(perSecond: 4)
        #expect(pacer.interval == .milliseconds(250))
        let now = ContinuousClock.now
        let slots = (0..<4).compactMap { _ in pacer.reserve(at: now) }
        #expect(slots.map { $0 - now } == [.zero, .milliseconds(250), .milliseconds(500), .milliseconds(750)])
    }

    @Test func aLateRequestGoesAtOnceAndTheSpacingCountsFromIt() throws {
        let pacer = RequestPacer(perSecond: 10)
        let now = ContinuousClock.now
        #expect(pacer.reserve(at: now) == now)
        let late = now + .seconds(5)
        #expect(pacer.reserve(at: late) == late)
        #expect(pacer.reserve(at: late) == late + .milliseconds(100))
    }

    /// A slot past the deadline is refused and not taken: the next request still gets it.
    @Test func aSlotPastTheDeadlineIsNotTaken() throws {
        let pacer = RequestPacer(perSecond: 1)
        let now = ContinuousClock.now
        #expect(pacer.reserve(at: now) == now)
        #expect(pacer.reserve(at: now, notAfter: now + .milliseconds(500)) == nil)
        #expect(pacer.reserve(at: now) == now + .seconds(1))
    }

    @Test func aTinyRateIsOneRequestADay() {
        #expect(RequestPacer(perSecond: 1e-300).interval == .seconds(86_400))
    }
}
