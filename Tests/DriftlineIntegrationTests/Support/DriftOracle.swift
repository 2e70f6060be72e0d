import DriftlineCore
import DriftlinePipeline
import DriftlineStats
import PostgresNIO

/// One detection, as the oracle and `dl_drift_detections` both name it.
struct DetectionID: Hashable, Comparable, CustomStringConvertible {
    var partition: Int32
    var model: String
    var signal: String
    var detector: String
    var index: Int64

    static func < (a: DetectionID, b: DetectionID) -> Bool {
        (a.partition, a.model, a.signal, a.detector, a.index) < (b.partition, b.model, b.signal, b.detector, b.index)
    }

    var description: String { "[\(partition)] \(model) \(signal) \(detector) #\(index)" }
}

/// The detections of an uninterrupted run, computed directly: each partition's records decoded
/// in the order produced and fed to one `SignalDetectors` per model and signal, with the
/// default detector settings (streams by model).
func uninterruptedDetections(_ records: [Int32: [[UInt8]]]) -> Set<DetectionID> {
    let settings = PipelineConfiguration.DetectorSettings()
    let decoder = NativeJSONDecoder(keepText: false)
    var found: Set<DetectionID> = []
    for (partition, values) in records {
        var detectors: [String: SignalDetectors] = [:]
        for value in values {
            guard let event = try? value.withUnsafeBytes({ bytes throws(DecodeError) in try decoder.decode(bytes) })
            else { continue }
            for signal in settings.signals {
                guard let number = signal.value(of: event), number.isFinite else { continue }
                let key = "\(event.model)|\(signal.rawValue)"
                let detections = detectors[
                    key, default: SignalDetectors(adwin: settings.adwin, pageHinkley: settings.pageHinkley)
                ].update(number)
                for detection in detections {
                    found.insert(
                        DetectionID(
                            partition: partition, model: event.model, signal: signal.rawValue,
                            detector: detection.detector.rawValue, index: detection.index))
                }
            }
        }
    }
    return found
}

/// What `dl_drift_detections` holds for `group`.
func storedDetections(_ client: PostgresClient, group: String) async throws -> Set<DetectionID> {
    let rows = try await client.query(
        """
        SELECT partition, stream->>'model', signal, detector, update_index FROM dl_drift_detections
        WHERE consumer_group = \(group)
        """)
    var found: Set<DetectionID> = []
    for try await (partition, model, signal, detector, index) in rows.decode(
        (Int32, String, String, String, Int64).self)
    {
        found.insert(DetectionID(partition: partition, model: model, signal: signal, detector: detector, index: index))
    }
    return found
}
