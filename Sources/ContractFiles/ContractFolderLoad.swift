import Contracts
import Dispatch
import Synchronization

/// Reads a contract folder on other threads and hands out the contracted tables' names as the
/// files are parsed: `check` opens its session and reads the first tables' catalog rows
/// meanwhile, instead of waiting for the last file.
public final class ContractFolderLoad: Sendable {
    /// Parsing this many files (~50 µs each) costs less than one more catalog statement (~2 ms
    /// of planning and fixed work): with no more than this left, `nextTableNames` waits for the
    /// parsing to end rather than hand out a small last batch.
    public static let smallTail = 32

    private struct State {
        var names: [String] = []
        var filesLeft = Int.max
        var outcome: Result<ContractSet, ContractFolder.NotAFolder>?
    }

    private let state = Mutex(State())
    /// Signalled after every change of `state`. One thread consumes (`nextTableNames`, then
    /// `wait`), so a change between its look and its wait is never missed.
    private let changed = DispatchSemaphore(value: 0)

    /// Starts reading `path` (see `ContractFolder.load`).
    public init(_ path: String) {
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            let outcome = Result { () throws(ContractFolder.NotAFolder) in
                try ContractFolder.load(path, parsed: { contracts, filesLeft in self.add(contracts.map(\.table.name), filesLeft: filesLeft) })
            }
            state.withLock { $0.outcome = outcome }
            changed.signal()
        }
    }

    /// Parser threads report out of order: the smallest count seen is the true one.
    private func add(_ names: [String], filesLeft: Int) {
        state.withLock {
            $0.names += names
            $0.filesLeft = min($0.filesLeft, filesLeft)
        }
        changed.signal()
    }

    /// Blocks until a batch is worth a catalog statement and takes every table name parsed
    /// since the last call; nil once the folder is read and every name was taken.
    public func nextTableNames() -> [String]? {
        while true {
            let (batch, over): ([String]?, Bool) = state.withLock { state in
                let finished = state.outcome != nil
                guard !state.names.isEmpty, finished || state.filesLeft > Self.smallTail else {
                    return (nil, finished && state.names.isEmpty)
                }
                defer { state.names = [] }
                return (state.names, false)
            }
            if let batch { return batch }
            if over { return nil }
            changed.wait()
        }
    }

    /// The folder's contracts once every file is parsed.
    public func wait() throws(ContractFolder.NotAFolder) -> ContractSet {
        while true {
            if let outcome = state.withLock({ $0.outcome }) { return try outcome.get() }
            changed.wait()
        }
    }
}
