/// `Fixtures/psi.json`, written by `make_psi_fixtures.py`: Evidently 0.7.23's `psi` for sturges and
/// categorical binnings, and a brute-force numpy computation for the quantile binning.
struct PSIFixtures: Decodable {
    struct Sample: Decodable {
        var seed: UInt64
        var segments: [StreamSpec.Segment]

        func generate(_ name: String) -> [Double] {
            StreamSpec(name: name, seed: seed, segments: segments).generate()
        }
    }

    struct Sturges: Decodable {
        var psi: Double
        var edges: [Double]
        var reference_shares: [Double]
        var current_shares: [Double]
        var empty_bins: Int
    }

    struct Quantile: Decodable {
        var edges: [Double]
        var reference_counts: [UInt64]
        var current_counts: [UInt64]
        var psi: Double
    }

    struct Numeric: Decodable {
        var name: String
        var reference: Sample
        var current: Sample
        var sturges: Sturges
        var quantile: Quantile
        /// The quantile binning on raw samples: numpy's exact reference deciles, unsnapped.
        var raw_quantile: Quantile
    }

    struct Categorical: Decodable {
        var name: String
        var reference: [String: Int64]
        var current: [String: Int64]
        var psi: Double
    }

    var evidently: String
    var numeric: [Numeric]
    var categorical: [Categorical]

    static let shared: PSIFixtures = {
        do {
            return try Fixtures.load(PSIFixtures.self, "psi.json")
        } catch {
            preconditionFailure("Fixtures/psi.json: \(error)")
        }
    }()

    static var numericNames: [String] { shared.numeric.map(\.name) }
    static var categoricalNames: [String] { shared.categorical.map(\.name) }

    static func numeric(_ name: String) -> Numeric { shared.numeric.first { $0.name == name }! }
    static func categorical(_ name: String) -> Categorical { shared.categorical.first { $0.name == name }! }
}

func isClose(_ a: Double, _ b: Double, relative: Double) -> Bool {
    abs(a - b) <= relative * Swift.max(abs(a), abs(b))
}
