import DriftlineStats
import Foundation
import Testing

/// `driftline drift detect` run as a person runs it on an exported series: what it prints, and
/// its one-line error and exit status on a bad line. Needs the built executable only.
@Suite("drift detect command")
struct DriftDetectCommandTests {
    static let bound: Duration = .seconds(30)

    static func series(_ text: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("drift-detect-\(UUID()).txt")
        try Data(text.utf8).write(to: url)
        return url
    }

    @Test func printsTheIndicesOfTheDetectingUpdates() async throws {
        // 300 values around 10, then 300 around 14: one shift, found after the clock's next tick.
        var rng = SplitMix64(seed: 17)
        let values = (0..<600).map { ($0 < 300 ? 10 : 14) + rng.normal() }
        let file = try Self.series(values.map { "\($0)" }.joined(separator: "\n") + "\n\n")
        defer { try? FileManager.default.removeItem(at: file) }
        var adwin = ADWIN()
        let expected = values.indices.filter { adwin.update(values[$0]) }
        try #require(!expected.isEmpty && expected.allSatisfy { $0 >= 300 })

        let run = try DriftlineProcess(["drift", "detect", "--detector", "adwin", file.path])
        let exit = try #require(await run.waitForExit(within: Self.bound), "still running: \(run.output)")
        #expect(exit.status == 0, "\(run.output)")
        #expect(run.output == expected.map { "\($0)\n" }.joined())
    }

    @Test func aBadLineIsOneErrorLineAndADataErrorStatus() async throws {
        let file = try Self.series("1.5\n2\n\nfast\n3\n")
        defer { try? FileManager.default.removeItem(at: file) }
        let run = try DriftlineProcess(["drift", "detect", "--detector", "page-hinkley", file.path])
        let exit = try #require(await run.waitForExit(within: Self.bound), "still running: \(run.output)")
        #expect(exit.status == 65, "\(run.output)")
        #expect(run.output == "error: \(file.path):4: expected a finite number, got \"fast\"\n")
    }

    @Test func anOptionOfTheOtherDetectorIsAUsageError() async throws {
        let file = try Self.series("1\n")
        defer { try? FileManager.default.removeItem(at: file) }
        let run = try DriftlineProcess(["drift", "detect", "--detector", "adwin", "--alpha", "0.9", file.path])
        let exit = try #require(await run.waitForExit(within: Self.bound), "still running: \(run.output)")
        #expect(exit.status == 64, "\(run.output)")
        #expect(run.output == "error: --alpha does not apply to adwin\n")
    }
}
