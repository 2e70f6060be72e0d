/// The detectors that watch one signal of one stream (say, TTFT of `gpt-4o` on partition 3):
/// ADWIN, and Page-Hinkley when configured, fed the same values in the same order, with the
/// 0-based index of every update so that a detection is identified by where in the stream it
/// happened. The whole state is one snapshot, stored with the offsets of the records fed, so a
/// restart continues exactly where the stored offsets say.
public struct SignalDetectors: Sendable, Hashable {
    /// A detection by one of the detectors on the update at `index`.
    public struct Detection: Sendable, Hashable {
        public enum Detector: String, Sendable, Hashable, CaseIterable {
            case adwin
            case pageHinkley = "page_hinkley"
        }

        public var detector: Detector
        /// The 0-based index of the update after which the drift was detected.
        public var index: Int64
        /// ADWIN's sub-windows on either side of the cut; nil for Page-Hinkley.
        public var cut: ADWIN.Detection?
        /// Page-Hinkley's running mean when it fired; nil for ADWIN.
        public var mean: Double?

        public init(detector: Detector, index: Int64, cut: ADWIN.Detection? = nil, mean: Double? = nil) {
            self.detector = detector
            self.index = index
            self.cut = cut
            self.mean = mean
        }
    }

    public private(set) var adwin: ADWIN
    public private(set) var pageHinkley: PageHinkley?
    /// Updates seen: the index the next one gets.
    public private(set) var updates: Int64 = 0

    public init(adwin: ADWIN.Configuration = .default, pageHinkley: PageHinkley.Configuration? = .default) {
        self.adwin = ADWIN(configuration: adwin)
        self.pageHinkley = pageHinkley.map { PageHinkley(configuration: $0) }
    }

    /// Feeds `value` to every detector; returns their detections on this update (ADWIN's first).
    public mutating func update(_ value: Double) -> [Detection] {
        let index = updates
        updates += 1
        var found: [Detection] = []
        if adwin.update(value) { found.append(Detection(detector: .adwin, index: index, cut: adwin.detection)) }
        if pageHinkley?.update(value) == true {
            found.append(Detection(detector: .pageHinkley, index: index, mean: pageHinkley?.mean))
        }
        return found
    }
}

extension SignalDetectors {
    private static let snapshotMagic: [UInt8] = Array("DLSD".utf8)
    private static let snapshotVersion: UInt8 = 1

    /// Format 1, little-endian: "DLSD", version byte 1; updates (u64); ADWIN's snapshot
    /// (u32 length, bytes); a flag byte, then Page-Hinkley's snapshot the same way when set.
    public func snapshot() -> [UInt8] {
        var writer = SnapshotWriter(magic: Self.snapshotMagic, version: Self.snapshotVersion)
        writer.append(UInt64(bitPattern: updates))
        writer.appendBlock(adwin.snapshot())
        writer.append(pageHinkley != nil)
        if let pageHinkley { writer.appendBlock(pageHinkley.snapshot()) }
        return writer.bytes
    }

    /// Restores the detectors from `snapshot()`'s bytes; throws `DetectorSnapshotError`.
    public init(snapshot bytes: some Collection<UInt8>) throws {
        var reader = try SnapshotReader(
            bytes, magic: Self.snapshotMagic, version: Self.snapshotVersion, detector: "signal detectors")
        let updates = Int64(bitPattern: try reader.readUInt64())
        guard updates >= 0 else { throw DetectorSnapshotError(.invalidState, "negative update count") }
        self.updates = updates
        adwin = try ADWIN(snapshot: try reader.readBlock())
        pageHinkley = try reader.readBool() ? try PageHinkley(snapshot: try reader.readBlock()) : nil
        try reader.expectEnd()
    }
}
