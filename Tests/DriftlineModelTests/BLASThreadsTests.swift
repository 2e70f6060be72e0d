import DriftlineModel
import Testing

/// The scoring service makes OpenBLAS single-threaded unless the operator configured it.
@Suite struct BLASThreadsTests {
    @Test func oneThreadUnlessTheEnvironmentSaysOtherwise() {
        #expect(BLASThreads.useOneUnlessConfigured(environment: [:]) == 1)
        // A configured count is left alone: OpenBLAS read it at load; nothing is set here.
        #expect(BLASThreads.useOneUnlessConfigured(environment: ["OPENBLAS_NUM_THREADS": "2"]) == 1)
    }
}
