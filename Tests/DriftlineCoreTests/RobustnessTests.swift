import Testing

@testable import DriftlineCore

@Suite("Robustness: cut and corrupted records")
struct RobustnessTests {
    static let records = [
        NativeJSONDecoderTests.fullRecord,
        #"{"model":"m","start":1795608000123.25,"end":"2026-11-25T12:00:01+01:00","prompt":"é😀\u00e9\ud83d\ude00\n","embedding":[1.5e-3,-2]}"#,
        minimalRecord(#""x":{"a":[true,false,null,-1.5e+3,"s"]},"labels":{"k":"v"}"#),
    ]

    @Test(arguments: records)
    func everyPrefixFailsCleanly(_ record: String) {
        let bytes = Array(record.utf8)
        for keptCount in 0..<bytes.count {
            let prefix = Array(bytes[0..<keptCount])
            guard let error = decodeError(bytes: prefix) else {
                Issue.record("prefix of \(keptCount) bytes decoded")
                continue
            }
            let expected: Set<DecodeError.Code> = keptCount == 0 ? [.empty] : [.truncated, .malformedJSON, .empty]
            #expect(expected.contains(error.code), "\(keptCount) bytes: \(error.reason)")
            if error.code == .truncated {
                #expect(error.byteOffset == keptCount)
                #expect(error.reason == "unexpected end of input at byte \(keptCount) (truncated record?)")
            }
        }
    }

    @Test func prefixesEndingInsideATokenAreTruncated() {
        // Cut inside a key, a string, a number (whose kept digits would be a valid but
        // different value), after a key, and inside a literal.
        let record = #"{"model":"gpt-4o","start":1795608000000,"x":true}"#
        for cut in [3, 12, 30, 43, 46] {
            let error = decodeError(bytes: Array(record.utf8.prefix(cut)))
            #expect(error?.code == .truncated, "cut at \(cut): \(error?.reason ?? "decoded")")
        }
    }

    @Test func randomByteMutationsNeverCrash() {
        var generator = SeededGenerator(seed: 0xD1F7)
        let decoders = [NativeJSONDecoder(), NativeJSONDecoder(keepText: false)]
        let interesting: [UInt8] =
            Array("{}[]\",:\\-+.eE0123456789tfnu \n".utf8) + [
                0x00, 0x1F, 0x7F, 0x80, 0xBF, 0xC0, 0xC3, 0xE2, 0xED, 0xF0, 0xF4, 0xFF,
            ]
        var outcomes: [String: Int] = [:]
        for round in 0..<20_000 {
            var bytes = Array(Self.records[round % Self.records.count].utf8)
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let index = Int.random(in: 0..<bytes.count, using: &generator)
                switch Int.random(in: 0..<4, using: &generator) {
                case 0: bytes[index] = interesting.randomElement(using: &generator)!
                case 1: bytes[index] = UInt8.random(in: 0...255, using: &generator)
                case 2: bytes.remove(at: index)
                default: bytes.insert(interesting.randomElement(using: &generator)!, at: index)
                }
                if bytes.isEmpty { bytes = [0x7B] }
            }
            let result = Result { () throws(DecodeError) in try decoders[round % 2].decode(bytes) }
            switch result {
            case .success(let event):
                // Whatever survives must still satisfy the invariants.
                #expect(!event.model.isEmpty)
                #expect(event.start <= event.end)
                #expect(event.tokens.input >= event.tokens.cachedInput + event.tokens.cacheWrite)
                outcomes["ok", default: 0] += 1
            case .failure(let error):
                #expect(!error.reason.isEmpty)
                outcomes[error.code.name, default: 0] += 1
            }
        }
        #expect(outcomes.count > 3)
    }

    @Test func randomBytesNeverCrash() {
        var generator = SeededGenerator(seed: 99)
        for _ in 0..<5000 {
            let count = Int.random(in: 0...64, using: &generator)
            var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if Bool.random(using: &generator) { bytes.insert(UInt8(ascii: "{"), at: 0) }
            _ = decodeError(bytes: bytes)
        }
    }

    @Test func readsNoByteBeyondTheBuffer() throws {
        // Decode from an exactly sized heap buffer whose neighbours are poisoned: records
        // whose strings and numbers end flush against the end of the buffer.
        let records = [
            minimalRecord(#""prompt":"\#(String(repeating: "a", count: 45))""#),
            #"{"model":"m","start":1,"end":2,"prompt":"\#(String(repeating: "é", count: 20))"#,
            #"{"model":"m","start":1,"end":2,"x":12345"#,
            #"{"model":"\#(String(repeating: "z", count: 31))"#,
        ]
        for record in records {
            let bytes = Array(record.utf8)
            for cut in 0...bytes.count {
                let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: cut + 64, alignment: 1)
                defer { buffer.deallocate() }
                buffer.initializeMemory(as: UInt8.self, repeating: UInt8(ascii: "\""))
                buffer.copyBytes(from: bytes[0..<cut])
                let view = UnsafeRawBufferPointer(rebasing: buffer[0..<cut])
                let result = Result { () throws(DecodeError) in try NativeJSONDecoder().decode(view) }
                if cut < bytes.count, case .success = result {
                    Issue.record("a cut record decoded: \(cut) of \(bytes.count) bytes of \(record)")
                }
            }
        }
    }
}
