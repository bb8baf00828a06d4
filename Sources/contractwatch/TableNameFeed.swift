import Dispatch
import Synchronization

/// Table names handed from the threads that parse contract files to the thread that reads the
/// catalog. `next()` blocks until a batch is worth a catalog statement and takes every name
/// that arrived; nil once the parsing is over and every name was taken.
final class TableNameFeed: Sendable {
    /// Parsing this many files (~50 µs each) costs less than one more catalog statement (~2 ms
    /// of planning and fixed work): with no more than this left, wait for the parsing to end
    /// rather than send a small last batch.
    static let smallTail = 32

    private struct State {
        var names: [String] = []
        var filesLeft = Int.max
        var finished = false
    }

    private let state = Mutex(State())
    /// Signalled on every change; a waiter may see more signals than changes, never fewer.
    private let changed = DispatchSemaphore(value: 0)

    /// Names of one parsed file's tables; `filesLeft` as counted by the parser (threads report
    /// out of order, so the smallest count seen is the true one).
    func add(_ names: [String], filesLeft: Int) {
        state.withLock {
            $0.names += names
            $0.filesLeft = min($0.filesLeft, filesLeft)
        }
        changed.signal()
    }

    func finish() {
        state.withLock { $0.finished = true }
        changed.signal()
    }

    func next() -> [String]? {
        while true {
            let batch: [String]? = state.withLock { state in
                let worthIt = state.finished || state.filesLeft > Self.smallTail
                guard !state.names.isEmpty, worthIt else { return nil }
                defer { state.names = [] }
                return state.names
            }
            if let batch { return batch }
            if state.withLock({ $0.finished && $0.names.isEmpty }) { return nil }
            changed.wait()
        }
    }
}
