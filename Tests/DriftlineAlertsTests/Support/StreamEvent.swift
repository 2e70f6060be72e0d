import DriftlineAlerts
import Foundation

/// A generated request stream for brute-force oracles: one event per request with its time, dimensions and
/// whether it was good.
struct StreamEvent: Sendable {
    var time: Date
    var group: AlertGroup
    var good: Bool
}
