extension ADWIN {
    static let snapshotMagic: [UInt8] = Array("DLAW".utf8)
    static let snapshotVersion: UInt8 = 1

    /// The detector's whole state as bytes, for storing next to the Kafka offsets it has consumed:
    /// `ADWIN(snapshot:)` continues exactly where this detector stands, so a restart gives the
    /// detections an uninterrupted run gives. Equal detectors give equal bytes.
    ///
    /// Format 1, little-endian: "DLAW", version byte 1; delta (f64), clock, max_buckets,
    /// min_window_length, grace_period (u32 each); sum, m2, count (f64 bit patterns), tick (u32),
    /// drift flag (u8), detection flag (u8) then, when set, before width (u64), before mean (f64),
    /// after width (u64), after mean (f64); row count (u32), then per row its entry count (u8) and
    /// each entry's total and variance (f64), oldest first.
    public func snapshot() -> [UInt8] {
        var writer = SnapshotWriter(magic: Self.snapshotMagic, version: Self.snapshotVersion)
        writer.append(configuration.delta)
        writer.append(UInt32(configuration.clock))
        writer.append(UInt32(configuration.maxBuckets))
        writer.append(UInt32(configuration.minWindowLength))
        writer.append(UInt32(configuration.gracePeriod))
        writer.append(sum)
        writer.append(m2)
        writer.append(count)
        writer.append(UInt32(tick))
        writer.append(driftDetected)
        writer.append(detection != nil)
        if let detection {
            writer.append(UInt64(detection.before.width))
            writer.append(detection.before.mean)
            writer.append(UInt64(detection.after.width))
            writer.append(detection.after.mean)
        }
        writer.append(UInt32(rowCounts.count))
        for (row, entries) in rowCounts.enumerated() {
            writer.append(UInt8(entries))
            for k in 0..<entries {
                writer.append(bucketTotals[row * rowStride + k])
                writer.append(bucketVariances[row * rowStride + k])
            }
        }
        return writer.bytes
    }

    /// Restores a detector from `snapshot()`'s bytes; throws `DetectorSnapshotError` when they are
    /// not an ADWIN snapshot of a format this build reads, or describe an unreachable state.
    public init(snapshot bytes: some Collection<UInt8>) throws {
        var reader = try SnapshotReader(
            bytes, magic: Self.snapshotMagic, version: Self.snapshotVersion, detector: "ADWIN")
        let configuration: Configuration
        do {
            configuration = try Configuration(
                delta: try reader.readDouble(), clock: Int(try reader.readUInt32()),
                maxBuckets: Int(try reader.readUInt32()), minWindowLength: Int(try reader.readUInt32()),
                gracePeriod: Int(try reader.readUInt32()))
        } catch let error as DriftDetectorConfigurationError {
            throw DetectorSnapshotError(.invalidState, "ADWIN snapshot: \(error)")
        }
        self.init(configuration: configuration)
        sum = try reader.readDouble()
        m2 = try reader.readDouble()
        count = try reader.readDouble()
        tick = Int(try reader.readUInt32())
        driftDetected = try reader.readBool()
        if try reader.readBool() {
            let beforeWidth = try reader.readUInt64()
            let beforeMean = try reader.readDouble()
            let afterWidth = try reader.readUInt64()
            let afterMean = try reader.readDouble()
            guard beforeWidth <= UInt64(Int.max), afterWidth <= UInt64(Int.max) else {
                throw DetectorSnapshotError(.invalidState, "ADWIN snapshot: detection widths out of range")
            }
            detection = Detection(
                before: SubWindow(width: Int(beforeWidth), mean: beforeMean),
                after: SubWindow(width: Int(afterWidth), mean: afterMean))
        }
        let rows = Int(try reader.readUInt32())
        // Row i holds buckets of 2^i items; 64 rows already exceed any UInt64 item count.
        guard (1...64).contains(rows) else {
            throw DetectorSnapshotError(.invalidState, "ADWIN snapshot: \(rows) bucket rows, expected 1...64")
        }
        rowCounts = []
        bucketTotals = []
        bucketVariances = []
        var items = 0.0
        for row in 0..<rows {
            let entries = Int(try reader.readUInt8())
            guard entries <= configuration.maxBuckets, row == 0 || row < rows - 1 || entries > 0 else {
                throw DetectorSnapshotError(
                    .invalidState,
                    "ADWIN snapshot: row \(row) has \(entries) buckets, expected at most \(configuration.maxBuckets)"
                        + " and a non-empty last row")
            }
            rowCounts.append(entries)
            bucketTotals.append(contentsOf: repeatElement(0, count: rowStride))
            bucketVariances.append(contentsOf: repeatElement(0, count: rowStride))
            for k in 0..<entries {
                bucketTotals[row * rowStride + k] = try reader.readDouble()
                bucketVariances[row * rowStride + k] = try reader.readDouble()
            }
            items += Double(entries) * Double(UInt64(1) << row)
        }
        try reader.expectEnd()
        guard items == count, tick < configuration.clock, sum.isFinite, m2.isFinite,
            driftDetected == (detection != nil)
        else {
            throw DetectorSnapshotError(
                .invalidState,
                "ADWIN snapshot: the buckets hold \(items) items but the window \(count), or tick \(tick) ≥ clock,"
                    + " non-finite sums, or a drift flag without its detection")
        }
    }
}
