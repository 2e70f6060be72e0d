import DriftlineStats
import Foundation
import Testing

@testable import DriftlinePipeline

/// The text formats and inputs of `driftline drift detect|psi|embeddings`.
@Suite struct DriftInputTests {
    @Test func numbersSkipBlankLinesAndSpacesAndTakeWindowsLineEnds() throws {
        let text = "1\n\n  2.5 \r\n-3e-2\n\t\n4\n"
        #expect(try NumberLines.numbers(in: text, source: "x.txt") == [1, 2.5, -0.03, 4])
        #expect(try NumberLines.numbers(in: "", source: "x.txt") == [])
    }

    @Test(arguments: [
        ("1\n2\nabc\n", "x.txt:3: expected a finite number, got \"abc\""),
        ("1\n\n\nnan\n", "x.txt:4: expected a finite number, got \"nan\""),
        ("inf\n", "x.txt:1: expected a finite number, got \"inf\""),
        ("0x1p3\n", "x.txt:1: expected a finite number, got \"0x1p3\""),
        ("1,2\n", "x.txt:1: expected a finite number, got \"1,2\""),
        ("1e999\n", "x.txt:1: expected a finite number, got \"1e999\""),
    ])
    func aLineThatIsNotANumberIsNamedByItsLineNumber(text: String, message: String) {
        let error = #expect(throws: DriftToolError.self) { try NumberLines.numbers(in: text, source: "x.txt") }
        #expect(error?.code == .badInput)
        #expect(error?.message == message)
    }

    @Test func vectorsAreCommaSeparatedAndOfOneDimension() throws {
        #expect(try VectorLines.vectors(in: "1, 2,3\n\n4,5,6\r\n", source: "v.csv") == [[1, 2, 3], [4, 5, 6]])
        let short = #expect(throws: DriftToolError.self) {
            try VectorLines.vectors(in: "1,2,3\n\n4,5\n", source: "v.csv")
        }
        #expect(short?.message == "v.csv:3: 2 elements, expected 3 like line 1")
        let notANumber = #expect(throws: DriftToolError.self) {
            try VectorLines.vectors(in: "1,2\n1,,2\n", source: "v.csv")
        }
        #expect(notANumber?.message == "v.csv:2: element 2 is not a finite number: \"\"")
    }

    @Test func aDashReadsStandardInput() throws {
        let pipe = Pipe()
        pipe.fileHandleForWriting.write(Data("3\n1\n".utf8))
        try pipe.fileHandleForWriting.close()
        let input = DriftInput(path: "-")
        #expect(input.name == "standard input")
        let text = try input.text(standardInput: pipe.fileHandleForReading)
        #expect(try NumberLines.numbers(in: text, source: input.name) == [3, 1])
    }

    @Test func aFileIsReadAndAMissingOneIsNamed() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("drift-input-\(UUID()).txt")
        try Data("0.5\n".utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(try DriftInput(path: url.path).text() == "0.5\n")
        let missing = #expect(throws: DriftToolError.self) { try DriftInput(path: url.path + ".missing").text() }
        #expect(missing?.code == .unreadable)
        #expect(missing?.message == "\(url.path).missing: no such file")
    }

    @Test func psiOfSamplesUsesThePipelinesBinnings() throws {
        let reference = (1...100).map { "\($0)" }.joined(separator: "\n")
        let current = (1...100).map { "\($0 + 30)" }.joined(separator: "\n")
        let quantile = try SamplePSI.compute(
            reference: reference, referenceSource: "r", current: current, currentSource: "c", binning: .quantile)
        #expect(
            quantile
                == PopulationStabilityIndex.quantile(
                    reference: (1...100).map(Double.init), current: (31...130).map(Double.init)))
        #expect(quantile.bins.count == 10)
        #expect(quantile.severity() == .major)
        let sturges = try SamplePSI.compute(
            reference: reference, referenceSource: "r", current: current, currentSource: "c", binning: .sturges)
        #expect(sturges.binning == .sturges)
        let categorical = try SamplePSI.compute(
            reference: "gpt-4o\nllama\ngpt-4o\n", referenceSource: "r", current: "gpt-4o\n", currentSource: "c",
            binning: .categorical)
        #expect(
            categorical
                == PopulationStabilityIndex.categorical(reference: ["gpt-4o": 2, "llama": 1], current: ["gpt-4o": 1]))
        let empty = #expect(throws: DriftToolError.self) {
            try SamplePSI.compute(
                reference: reference, referenceSource: "r", current: "\n\n", currentSource: "c", binning: .quantile)
        }
        #expect(empty?.message == "c: no values (every line is blank)")
    }

    @Test func embeddingsOfTwoDimensionsAreRefusedNamingBothFiles() {
        let error = #expect(throws: DriftToolError.self) {
            try EmbeddingComparison(
                reference: [[1, 0], [0, 1]], referenceSource: "r.csv", current: [[1, 0, 0], [0, 1, 0]],
                currentSource: "c.csv")
        }
        #expect(error?.message == "c.csv: 3-dimensional vectors, but r.csv has 2")
        let tooFew = #expect(throws: DriftToolError.self) {
            try EmbeddingComparison(
                reference: [[1, 0]], referenceSource: "r.csv", current: [[1, 0], [0, 1]], currentSource: "c.csv")
        }
        #expect(tooFew?.message.hasPrefix("MMD of r.csv and c.csv: ") == true)
    }

    @Test func embeddingsAreComparedWithThePipelinesMeasures() throws {
        let reference: [[Double]] = [[1, 0], [0.9, 0.1], [1.1, -0.1], [1, 0.2]]
        let current: [[Double]] = [[0, 1], [0.1, 0.9], [-0.1, 1.1], [0.2, 1]]
        let comparison = try EmbeddingComparison(
            reference: reference, referenceSource: "r", current: current, currentSource: "c", permutations: 50,
            seed: 5)
        // Centroids (1, 0.05) and (0.05, 1), by hand.
        let cosine = 1 - 0.1 / 1.0025
        #expect(abs(try #require(comparison.centroidCosineDistance) - cosine) < 1e-12)
        #expect(abs(comparison.centroidEuclideanDistance - (2 * 0.95 * 0.95).squareRoot()) < 1e-12)
        let mmd = try MaximumMeanDiscrepancy(reference: reference, current: current)
        #expect(comparison.mmd.unbiasedEstimate == mmd.unbiasedEstimate)
        #expect(comparison.pValue == (try mmd.permutationPValue(permutations: 50, seed: 5)))
    }
}
