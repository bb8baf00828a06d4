import Dispatch
import Synchronization

/// A value computed on another thread while the caller does something else; `wait()` blocks
/// until it is ready. `check` reads its contract files this way while it opens the session,
/// so the server's fork and login overlap with the parsing instead of following it.
final class BackgroundWork<Value: Sendable>: Sendable {
    private let outcome = Mutex<Result<Value, any Error>?>(nil)
    private let done = DispatchSemaphore(value: 0)

    init(_ work: @escaping @Sendable () throws -> Value) {
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            let result = Result(catching: work)
            outcome.withLock { $0 = result }
            done.signal()
        }
    }

    func wait() throws -> Value {
        done.wait()
        done.signal()  // later waits return at once
        return try outcome.withLock { $0 }!.get()
    }
}
