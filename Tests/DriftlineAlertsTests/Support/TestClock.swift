import Foundation
import Synchronization

/// A clock the test moves; the sender reads time only through it.
final class TestClock: Sendable {
    let time = Mutex(Date(timeIntervalSince1970: 1_764_621_998))
    var now: Date { time.withLock { $0 } }
    func advance(_ seconds: Double) { time.withLock { $0.addTimeInterval(seconds) } }
}
