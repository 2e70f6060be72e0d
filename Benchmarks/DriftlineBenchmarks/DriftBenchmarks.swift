import DriftlineStats
import Foundation

extension Benchmarks {
    /// The drift algorithms alone, one thread: ADWIN and Page-Hinkley updates per second on a
    /// normal stream with one mean shift half-way, adding 384-dimensional embeddings to a sum, and
    /// PSI between two merged histograms. The stream is bit for bit the one
    /// `Benchmarks/Oracles/river_adwin_speed.py` feeds River (Irwin–Hall normals from SplitMix64,
    /// as the fixture streams: only exactly rounded operations, unlike Box–Muller's log and cos),
    /// so the detection counts printed here and there compare.
    static func drift(values count: Int = 10_000_000) throws {
        var rng = SplitMix64(seed: 2)
        let values = (0..<count).map { i in
            var normal = 0.0
            for _ in 0..<12 { normal += rng.uniform() }
            return (i < count / 2 ? 0 : 0.5) + (normal - 6)
        }

        func rate(_ label: String, _ update: (Double) -> Bool) {
            var detections = 0
            let start = ContinuousClock.now
            for value in values where update(value) { detections += 1 }
            let elapsed = seconds(ContinuousClock.now - start)
            print(
                String(
                    format: "%@, 1 thread: %.2f M updates/s (%.1f ns/update, %d detections)", label,
                    Double(count) / elapsed / 1e6, elapsed / Double(count) * 1e9, detections))
        }
        var adwin = ADWIN()
        rate("ADWIN (River defaults)") { adwin.update($0) }
        var adwinEveryUpdate = ADWIN(configuration: try ADWIN.Configuration(clock: 1))
        rate("ADWIN (clock 1)") { adwinEveryUpdate.update($0) }
        var pageHinkley = PageHinkley()
        rate("Page-Hinkley (River defaults)") { pageHinkley.update($0) }

        let dimension = 384
        let vectors = (0..<10_000).map { _ in (0..<dimension).map { _ in Float(rng.normal()) } }
        var sum = try EmbeddingSum(dimension: dimension)
        let rounds = 100
        let start = ContinuousClock.now
        for _ in 0..<rounds {
            for vector in vectors { try sum.add(vector) }
        }
        let elapsed = seconds(ContinuousClock.now - start)
        print(
            String(
                format: "embedding sum, 384 dims, 1 thread: %.2f M vectors/s",
                Double(rounds * vectors.count) / elapsed / 1e6))

        // 30 days of per-minute latency histograms merged into a reference and a current period;
        // the PSI itself then costs microseconds, the merge is the work.
        var reference = ExponentialHistogram()
        var current = ExponentialHistogram()
        let mergeStart = ContinuousClock.now
        for minute in 0..<(30 * 1_440) {
            var window = ExponentialHistogram()
            for _ in 0..<20 { window.record(rng.logNormal(median: minute < 15 * 1_440 ? 250 : 280, sigma: 0.6)) }
            if minute < 15 * 1_440 { reference.merge(window) } else { current.merge(window) }
        }
        let mergeSeconds = seconds(ContinuousClock.now - mergeStart)
        let psiStart = ContinuousClock.now
        var value = 0.0
        for _ in 0..<1_000 {
            value += PopulationStabilityIndex.quantile(reference: reference, current: current)?.value ?? 0
        }
        let psiSeconds = seconds(ContinuousClock.now - psiStart) / 1_000
        print(
            String(
                format:
                    "PSI (quantile) of 2 × 21 600 merged minute histograms: %.1f µs (PSI %.3f); building them %.0f ms",
                psiSeconds * 1e6, value / 1_000, mergeSeconds * 1e3))
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (whole, attoseconds) = duration.components
        return Double(whole) + Double(attoseconds) * 1e-18
    }
}
