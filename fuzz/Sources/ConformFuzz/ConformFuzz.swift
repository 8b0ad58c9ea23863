import Foundation

/// libFuzzer's entry into conform: `CONFORM_FUZZ_TARGET` names the ``FuzzTarget`` that every input goes to.
///
/// The executable has no top-level code (`-parse-as-library`). SwiftPM links an executable with `main`
/// defined as `<module>_main`, so ``fuzzMain(_:_:)`` is that symbol and hands the process to libFuzzer's
/// driver (`LLVMFuzzerRunDriver`, in the runtime that `-sanitize=fuzzer` links), which parses libFuzzer's
/// own options and calls ``fuzzOneInput(_:_:)`` for every input.
enum ConformFuzz {
    nonisolated(unsafe) static var target: FuzzTarget = .json

    static func selectTarget() -> Bool {
        let name = ProcessInfo.processInfo.environment["CONFORM_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
            FileHandle.standardError.write(Data("CONFORM_FUZZ_TARGET must be one of: \(names)\n".utf8))
            return false
        }
        self.target = target
        target.prepare()
        return true
    }
}

@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

@_cdecl("ConformFuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    guard ConformFuzz.selectTarget() else { return 2 }
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments, fuzzOneInput)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = start.map { Data(bytes: $0, count: count) } ?? Data()
    ConformFuzz.target.run(data)
    return 0
}
