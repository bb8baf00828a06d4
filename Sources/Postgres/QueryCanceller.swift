import CLibPQ
import Synchronization

/// Stops what a connection is doing, from another thread: the statement running on the server
/// (libpq's cancel request, made for use from any thread) and every statement after it (the
/// connection refuses to send once cancelled). Quitting the dashboard during a full read of a
/// 50,000-table catalog used to wait out the read (~6 s).
public final class QueryCanceller: Sendable {
    /// libpq's cancel request (a `PGcancel *`) as its address: it belongs to no connection, and
    /// libpq lets any thread use it; `cancel()` uses it at most once, `deinit` frees it.
    private let request: Int
    private let cancelled = Atomic<Bool>(false)

    init(_ connection: OpaquePointer) {
        request = Int(bitPattern: PQgetCancel(connection).map { UnsafeRawPointer($0) })
    }

    deinit {
        if let pointer = OpaquePointer(bitPattern: request) { PQfreeCancel(pointer) }
    }

    public var isCancelled: Bool { cancelled.load(ordering: .acquiring) }

    /// Idempotent. The server's answer comes to the statement that was running, as an error.
    public func cancel() {
        guard !cancelled.exchange(true, ordering: .acquiringAndReleasing) else { return }
        guard let pointer = OpaquePointer(bitPattern: request) else { return }
        var message = [CChar](repeating: 0, count: 256)
        _ = PQcancel(pointer, &message, Int32(message.count))
    }
}
