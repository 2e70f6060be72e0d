extension IngestStateMachine {
    /// What the machine knows of this member's readiness (`/readyz`).
    enum Readiness: Equatable, Sendable {
        /// Owns partitions and the store took the last flush or probe.
        case consuming(partitions: Int)
        /// The group gave this member nothing (yet, or more members than partitions).
        case noPartitions
        /// The last flush could not reach PostgreSQL, and no probe has answered since.
        case storeUnreachable
    }

    var readiness: Readiness {
        if isStoreUnreachable { return .storeUnreachable }
        if partitions.isEmpty { return .noPartitions }
        return .consuming(partitions: partitions.count)
    }
}
