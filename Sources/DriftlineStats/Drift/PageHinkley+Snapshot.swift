extension PageHinkley {
    static let snapshotMagic: [UInt8] = Array("DLPH".utf8)
    static let snapshotVersion: UInt8 = 1

    /// The detector's whole state as bytes (see `ADWIN.snapshot()` for why). Equal detectors give
    /// equal bytes.
    ///
    /// Format 1, little-endian: "DLPH", version byte 1; min_instances (u32), delta, threshold,
    /// alpha (f64), mode (u8: 1 up, 2 down, 3 both); drift flag (u8); seen, mean, S⁺, S⁻, min S⁺,
    /// max S⁻ (f64 bit patterns).
    public func snapshot() -> [UInt8] {
        var writer = SnapshotWriter(magic: Self.snapshotMagic, version: Self.snapshotVersion)
        writer.append(UInt32(configuration.minInstances))
        writer.append(configuration.delta)
        writer.append(configuration.threshold)
        writer.append(configuration.alpha)
        writer.append(configuration.mode.rawValue)
        writer.append(driftDetected)
        for value in [seen, mean, sumIncrease, sumDecrease, minIncrease, maxDecrease] {
            writer.append(value)
        }
        return writer.bytes
    }

    /// Restores a detector from `snapshot()`'s bytes; throws `DetectorSnapshotError` when they are
    /// not a Page-Hinkley snapshot of a format this build reads, or describe an unreachable state.
    public init(snapshot bytes: some Collection<UInt8>) throws {
        var reader = try SnapshotReader(
            bytes, magic: Self.snapshotMagic, version: Self.snapshotVersion, detector: "Page-Hinkley")
        let minInstances = Int(try reader.readUInt32())
        let delta = try reader.readDouble()
        let threshold = try reader.readDouble()
        let alpha = try reader.readDouble()
        let modeByte = try reader.readUInt8()
        guard let mode = Mode(rawValue: modeByte) else {
            throw DetectorSnapshotError(.invalidState, "Page-Hinkley snapshot: mode byte \(modeByte)")
        }
        let configuration: Configuration
        do {
            configuration = try Configuration(
                minInstances: minInstances, delta: delta, threshold: threshold, alpha: alpha, mode: mode)
        } catch let error as DriftDetectorConfigurationError {
            throw DetectorSnapshotError(.invalidState, "Page-Hinkley snapshot: \(error)")
        }
        self.init(configuration: configuration)
        driftDetected = try reader.readBool()
        seen = try reader.readDouble()
        mean = try reader.readDouble()
        sumIncrease = try reader.readDouble()
        sumDecrease = try reader.readDouble()
        minIncrease = try reader.readDouble()
        maxDecrease = try reader.readDouble()
        try reader.expectEnd()
        guard seen >= 0, seen == seen.rounded(), mean.isFinite, !sumIncrease.isNaN, !sumDecrease.isNaN,
            !minIncrease.isNaN, !maxDecrease.isNaN
        else {
            throw DetectorSnapshotError(.invalidState, "Page-Hinkley snapshot: a count or sum is not a number")
        }
    }
}
