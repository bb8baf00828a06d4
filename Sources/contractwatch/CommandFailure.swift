import Catalog
import Foundation

/// Process exit statuses, one meaning each.
enum ExitStatus {
    static let clean: Int32 = 0
    static let violations: Int32 = 1
    static let usage: Int32 = 2
    static let couldNotCheck: Int32 = 3
}

/// A user-facing failure: one line on stderr and an exit status. Never a stack trace.
struct CommandFailure: Error {
    var status: Int32
    var message: String

    static func usage(_ message: String) -> CommandFailure {
        CommandFailure(status: ExitStatus.usage, message: message)
    }

    static func couldNotCheck(_ message: String) -> CommandFailure {
        CommandFailure(status: ExitStatus.couldNotCheck, message: "could not check: " + message)
    }
}

/// Writes straight to the file descriptors (no C stdio buffers to flush before `exit`).
/// The one way text reaches stdout and stderr: control characters in names (and anything else)
/// arrive as visible `\x1B` text, never as escape sequences for the terminal.
enum Output {
    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(ControlCharacters.escaped(text).utf8))
    }

    static func error(_ line: String) {
        FileHandle.standardError.write(Data((ControlCharacters.escaped(line) + "\n").utf8))
    }

    /// `--format github` inside GitHub Actions: the Markdown report is appended to the job's
    /// step summary (the file `GITHUB_STEP_SUMMARY` names), where reviewers see it in full.
    static func stepSummary(_ markdown: () -> String) {
        guard let path = ProcessInfo.processInfo.environment["GITHUB_STEP_SUMMARY"], !path.isEmpty else { return }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            error(
                "contractwatch: warning: cannot write the step summary to \(path): \(String(cString: strerror(errno)))")
            return
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        handle.write(Data((ControlCharacters.escaped(markdown()) + "\n").utf8))
    }
}
