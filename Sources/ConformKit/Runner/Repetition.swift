/// How many samples each case sends, and how many at a time.
///
/// A case that sends a secret may consume a single-use credential (a server that rotates refresh tokens
/// revokes the one it was given), so against a live endpoint it is sent once, never concurrently, with a
/// note, unless the suite declares it `repeat_safe` or the user takes responsibility with
/// `--repeat-secrets` (then the suite gets one warning). An embedded mock that uses no credential up
/// repeats every case.
struct Repetition: Sendable {
    /// Whether a case that sends a secret and is not `repeat_safe` is repeated.
    enum SecretRepeats: Sendable, Equatable {
        /// No: it is sent once with a note (a live endpoint, or a mock that rotates tokens).
        case whenRepeatSafe
        /// Yes: nothing the target accepts can be used up (an embedded mock that rotates nothing).
        case always
        /// Yes, because `--repeat-secrets` says so: the suite gets one warning.
        case accepted
    }

    /// `--repeat`: overrides every case's `repeat`.
    var samples: Int?
    /// `--concurrency`: overrides every case's `concurrency`.
    var concurrency: Int?
    var secrets: SecretRepeats

    init(samples: Int? = nil, concurrency: Int? = nil, secrets: SecretRepeats = .whenRepeatSafe) {
        self.samples = samples
        self.concurrency = concurrency
        self.secrets = secrets
    }

    /// The samples and concurrency for a case, and the note that says why a case is sent once.
    func plan(for testCase: TestCase, in suite: Suite) -> (samples: Int, concurrency: Int, notes: [Finding]) {
        let (samples, concurrency) = asked(for: testCase)
        let secrets = unsafeSecrets(of: testCase, in: suite)
        guard !secrets.isEmpty, self.secrets == .whenRepeatSafe else { return (samples, concurrency, []) }
        let sent = secrets.map { "${\($0)}" }.joined(separator: ", ")
        let note = Finding.note(
            .repeatSecrets,
            "sent once, not \(samples) times: it sends the secret \(sent) and is not declared \"repeat_safe\"; a server that rotates tokens would revoke it"
        )
        return (1, 1, [note])
    }

    /// With `--repeat-secrets`, the one warning for the cases it repeats though they send a secret:
    /// "--repeat-secrets: 2 cases that send a secret and are not declared "repeat_safe" are repeated anyway:
    /// 'a', 'b'; a server that rotates tokens would revoke what they send".
    func warning(for cases: [TestCase], in suite: Suite) -> Finding? {
        guard secrets == .accepted else { return nil }
        let repeated = cases.filter { !unsafeSecrets(of: $0, in: suite).isEmpty }.map { "'\($0.name)'" }
        guard !repeated.isEmpty else { return nil }
        let names = repeated.count > 5 ? repeated.prefix(5) + ["and \(repeated.count - 5) more"] : repeated[...]
        let one = repeated.count == 1
        let subject = one ? "1 case that sends a secret and is" : "\(repeated.count) cases that send a secret and are"
        return .warning(
            .repeatSecrets,
            "--repeat-secrets: \(subject) not declared \"repeat_safe\" \(one ? "is" : "are") repeated anyway: "
                + "\(names.joined(separator: ", ")); a server that rotates tokens would revoke what "
                + (one ? "it sends" : "they send"))
    }

    private func asked(for testCase: TestCase) -> (samples: Int, concurrency: Int) {
        let samples = max(1, self.samples ?? testCase.repeatCount ?? 1)
        return (samples, max(1, min(samples, self.concurrency ?? testCase.concurrency ?? 1)))
    }

    /// The secrets a case would send more than once, or at once, without being declared `repeat_safe`.
    private func unsafeSecrets(of testCase: TestCase, in suite: Suite) -> [String] {
        let (samples, concurrency) = asked(for: testCase)
        guard samples > 1 || concurrency > 1, !testCase.repeatSafe else { return [] }
        return testCase.secretReferences(in: suite)
    }
}
