/// Where one piece of an analyser's kept state is stored: its partition and its key within it.
public struct AnalyserStateKey: Hashable, Sendable, Comparable {
    public var partition: SourcePartition
    public var key: String

    public init(partition: SourcePartition, key: String) {
        self.partition = partition
        self.key = key
    }

    public static func < (a: AnalyserStateKey, b: AnalyserStateKey) -> Bool {
        (a.partition, a.key) < (b.partition, b.key)
    }
}
