import ArgumentParser
import DriftlinePipeline
import Foundation

/// How the offline drift tools fail: one line `error: …` on standard error naming the file and
/// line or the option, and a sysexits.h status telling a script which kind of mistake it made.
enum OfflineToolFailure {
    /// An option that does not apply or is out of range (EX_USAGE).
    static let usage: Int32 = 64
    /// A line that is not a number or a vector, or a sample with nothing to compare (EX_DATAERR).
    static let dataError: Int32 = 65
    /// A file that cannot be read (EX_NOINPUT).
    static let noInput: Int32 = 66

    static func reporting(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as DriftToolError {
            let status =
                error.code == .badOption ? usage : error.code == .unreadable ? noInput : dataError
            FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
            throw ExitCode(status)
        }
    }
}
