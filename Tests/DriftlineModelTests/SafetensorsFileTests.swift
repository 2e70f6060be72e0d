import DriftlineModel
import Foundation
import Testing

@Suite struct SafetensorsFileTests {
    struct Expected: Decodable {
        var shape: [Int]
        var values: [Float]
    }

    /// F16 and BF16 (subnormals, ±0, ±65504) converted as PyTorch's `.float()` does
    /// (Fixtures/make_model_fixtures.py, `half_precision`).
    @Test func halfAndBrainFloatsConvertLikePyTorch() throws {
        let file = try SafetensorsFile(contentsOf: FixtureFiles.url("half_precision.safetensors"))
        let expected = try FixtureFiles.decode([String: Expected].self, from: "half_precision.json")
        #expect(Set(expected.keys) == ["half", "brain", "single"])
        for (name, tensor) in expected {
            let values = try file.floats(name, shape: tensor.shape)
            #expect(values.map(\.bitPattern) == tensor.values.map(\.bitPattern), "\(name)")
        }
        #expect(file.tensors["position_ids"]?.dtype == .i64)
    }

    @Test func aWrongShapeNamesTheTensor() throws {
        let file = try SafetensorsFile(contentsOf: FixtureFiles.url("half_precision.safetensors"))
        #expect {
            try file.floats("half", shape: [7, 2])
        } throws: { error in
            let error = error as? ModelError
            return error?.code == .tensorMismatch && error?.message.contains("'half'") == true
        }
        #expect(throws: ModelError.self) { try file.floats("position_ids") }
        #expect(throws: ModelError.self) { try file.floats("absent") }
    }

    @Test func malformedFilesAreRejected() {
        func header(_ json: String, extra: Int = 0) -> Data {
            let bytes = Array(json.utf8)
            var data = Data((0..<8).map { UInt8((bytes.count >> (8 * $0)) & 0xFF) })
            data.append(contentsOf: bytes)
            data.append(contentsOf: [UInt8](repeating: 0, count: extra))
            return data
        }
        let cases: [Data] = [
            Data([1, 2, 3]),
            header("not json"),
            header(#"{"t": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}"#, extra: 4),
            header(#"{"t": {"dtype": "F32", "shape": [3], "data_offsets": [0, 8]}}"#, extra: 8),
            header(#"{"t": {"dtype": "Q4", "shape": [2], "data_offsets": [0, 8]}}"#, extra: 8),
        ]
        for data in cases {
            #expect(throws: ModelError.self) { try SafetensorsFile(data: data) }
        }
        #expect(throws: Never.self) {
            try SafetensorsFile(
                data: header(#"{"t": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}"#, extra: 8))
        }
    }
}
