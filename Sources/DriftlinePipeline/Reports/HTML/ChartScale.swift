import Foundation

/// A linear map from data values to pixels, and axis ticks at "nice" values.
struct ChartScale {
    var domain: ClosedRange<Double>
    /// The pixels of the domain's lower and upper bound; the start is below the end on a
    /// vertical axis (SVG's y grows downwards).
    var pixels: (start: Double, end: Double)

    func callAsFunction(_ value: Double) -> Double {
        let span = domain.upperBound - domain.lowerBound
        guard span > 0 else { return pixels.start }
        return pixels.start + (value - domain.lowerBound) / span * (pixels.end - pixels.start)
    }

    /// Ticks from 0 to a nice value at or above `maximum`, about `count` of them, at steps of
    /// 1, 2 or 5 times a power of ten (Heckbert, "Nice numbers for graph labels", Graphics
    /// Gems, 1990). A maximum of zero or less, or not finite, gives 0…1.
    static func valueTicks(maximum: Double, count: Int = 5) -> [Double] {
        guard maximum > 0, maximum.isFinite else { return [0, 0.25, 0.5, 0.75, 1] }
        let step = niceNumber(niceNumber(maximum, round: false) / Double(max(count - 1, 1)), round: true)
        let steps = max(Int((maximum / step * (1 - 1e-12)).rounded(.up)), 1)
        return (0...steps).map { Double($0) * step }
    }

    static func niceNumber(_ value: Double, round: Bool) -> Double {
        let power = pow(10, log10(value).rounded(.down))
        let fraction = value / power
        let nice: Double
        if round {
            nice = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10
        } else {
            nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
        }
        return nice * power
    }

    /// Ticks on a time axis over `[from, to)`: multiples of the smallest calendar-friendly step
    /// that gives at most `count` of them.
    static func timeTicks(from: Int64, to: Int64, count: Int = 8) -> (step: Int64, ticks: [Int64]) {
        let steps: [Int64] = [
            10, 30, 60, 120, 300, 600, 900, 1_800, 3_600, 7_200, 10_800, 21_600, 43_200, 86_400, 172_800, 604_800,
        ]
        let span = max(to - from, 1)
        let step = steps.first { span / $0 <= Int64(count) } ?? max(span / Int64(count), 1)
        var tick = from % step == 0 ? from : (from / step + 1) * step
        var ticks: [Int64] = []
        while tick < to {
            ticks.append(tick)
            tick += step
        }
        return (step, ticks)
    }
}
