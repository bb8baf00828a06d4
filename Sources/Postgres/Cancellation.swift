import Foundation
import Synchronization

/// Stops a piece of work under way from another thread: the child processes it runs through
/// `ChildProcess.run` are terminated (SIGTERM) and none is started after it. The dashboard's
/// schema copy for the Migrations screen (initdb, pg_dump, psql: ~40 s at 20,000 tables) stops
/// with the dashboard instead of keeping `q` waiting.
public final class Cancellation: Sendable {
    private struct State {
        var cancelled = false
        /// Children running now. A pid leaves before its child is reaped, so a pid in here
        /// always names our child (at worst a zombie), never a process that reused the number.
        var children: Set<pid_t> = []
    }

    private let state = Mutex(State())

    public init() {}

    public var isCancelled: Bool { state.withLock { $0.cancelled } }

    /// Throws `Connection.cancelledError` once cancelled: after a program run for the work, so
    /// that its exit (or its refusal to start) reads as the cancellation it was.
    public func check() throws(PostgresError) {
        if isCancelled { throw Connection.cancelledError }
    }

    /// Idempotent.
    public func cancel() {
        state.withLock { state in
            state.cancelled = true
            // Inside the lock: `release` cannot run (and the child be reaped) in between.
            for pid in state.children { kill(pid, SIGTERM) }
        }
    }

    /// Records a child just started; false when the work was cancelled meanwhile (the caller
    /// terminates the child at once).
    func adopt(_ pid: pid_t) -> Bool {
        state.withLock { state in
            guard !state.cancelled else { return false }
            state.children.insert(pid)
            return true
        }
    }

    /// The child exited (it is not reaped yet).
    func release(_ pid: pid_t) {
        _ = state.withLock { $0.children.remove(pid) }
    }
}
