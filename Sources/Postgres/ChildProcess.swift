import Foundation

/// Runs a program to completion with posix_spawn + waitpid.
///
/// Foundation's `Process` is not used on purpose: on Linux it can miss the exit of a child whose
/// own child daemonizes (the postmaster under pg_ctl, a tmux server) and wait forever, and pipes
/// to such a child never reach end-of-file. Output goes to files instead, and the child starts
/// with an empty signal mask whatever thread launched it.
public enum ChildProcess {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Returns the exit status (128 + signal number when killed by a signal). A `cancellation`
    /// terminates the child when cancelled; one cancelled already starts nothing.
    public static func run(
        _ argv: [String], environment: [String: String],
        stdoutPath: String, stderrPath: String? = nil, cancellation: Cancellation? = nil
    ) throws(Failure) -> Int32 {
        if cancellation?.isCancelled == true { throw Failure(description: "\(argv[0]) not run: cancelled") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if let stderrPath {
            posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        } else {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))

        let cArguments = argv.map { strdup($0) } + [nil]
        let cEnvironment = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in cArguments { free(pointer) }
            for pointer in cEnvironment { free(pointer) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, &attributes, cArguments, cEnvironment)
        guard spawned == 0 else {
            throw Failure(description: "could not run \(argv[0]): \(String(cString: strerror(spawned)))")
        }
        if let cancellation {
            if !cancellation.adopt(pid) { kill(pid, SIGTERM) }
            // Wait for the exit without reaping, so the pid stays ours until `release`.
            var info = siginfo_t()
            while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) == -1 && errno == EINTR {}
            cancellation.release(pid)
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            if errno != EINTR {
                throw Failure(description: "lost track of \(argv[0]): \(String(cString: strerror(errno)))")
            }
        }
        // WIFEXITED / WEXITSTATUS are macros; decode the status word by hand.
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    }

    /// A process's peak resident memory (VmHWM) in MB, `pid` "self" for this one; nil where
    /// /proc is missing. Not getrusage: a spawned child's ru_maxrss starts at its parent's size.
    public static func peakResidentMegabytes(pid: String = "self") -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kilobytes = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first.flatMap({
                Double($0)
            })
        else {
            return nil
        }
        return kilobytes / 1024
    }
}
