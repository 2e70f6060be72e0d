import ArgumentParser
import DriftlineAlerts
import DriftlineCore
import DriftlinePipeline
import DriftlineStore
import Foundation

/// Exit statuses of failures a person can act on (sysexits.h), each printed as one line
/// `error: …` on standard error, without a stack of wrapped errors around it.
enum CommandFailure {
    /// A setting must change: a bad file or variable, a password PostgreSQL refuses, a
    /// database that does not exist, TLS that cannot work (EX_CONFIG).
    static let configuration: Int32 = 78
    /// PostgreSQL did not answer in time, or not before giving up (EX_UNAVAILABLE).
    static let unavailable: Int32 = 69

    /// Runs `body`; the failures above are printed and become their exit status, and a signal
    /// that interrupted the start-up exits with 128 + its number, as the shell reports it.
    static func reporting(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as ConfigurationError {
            throw fail(configuration, "\(error)")
        } catch let error as PriceCatalogueError {
            throw fail(configuration, "\(error)")
        } catch let error as ConnectionFailure {
            throw fail(error.kind == .permanent ? configuration : unavailable, "\(error)")
        } catch let error as WebhookSinkError {
            throw fail(configuration, "\(error)")
        } catch let error as HealthServerError {
            throw fail(configuration, "\(error)")
        } catch let interrupted as Interrupted {
            throw fail(128 + interrupted.signal, "\(interrupted)")
        }
    }

    private static func fail(_ status: Int32, _ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        return ExitCode(status)
    }
}
