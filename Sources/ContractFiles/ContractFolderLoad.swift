import Contracts
import Dispatch
import Synchronization

/// Reads a contract folder on other threads and hands out the contracted tables' names early:
/// `check` opens its session and reads those tables' catalog rows meanwhile, instead of waiting
/// for the last file to be parsed.
///
/// First every file is read and scanned for `"table_name"` values (a few milliseconds for 1,000
/// files): those names go out at once, so the catalog is usually read in one statement that runs
/// while the files are parsed. Then the parsed contracts have the last word: any table the scan
/// did not see (escaped names, ODCS YAML files) is handed out as it is parsed.
public final class ContractFolderLoad: Sendable {
    /// Parsing this many files (~20 µs each) costs less than one more catalog statement (~2 ms
    /// of planning and fixed work): with no more than this left, `nextTableNames` waits for the
    /// parsing to end rather than hand out a small last batch.
    public static let smallTail = 32

    private struct State {
        /// The names the scan found, until taken; nil while the files are being read.
        var scanned: [String]?
        var scanTaken = false
        /// Every name handed out or waiting to be: each table is asked for once.
        var known: Set<String> = []
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
                let paths = try ContractFolder.contractPaths(path)
                let contents = Self.readAndScan(paths) { self.addScanned($0) }
                return ContractLoader.load(
                    paths: paths, read: { contents[$0] ?? .failure(ContractLoader.Unreadable(reason: "not read")) },
                    parsed: { contracts, filesLeft in self.addParsed(contracts.map(\.table.name), filesLeft: filesLeft)
                    })
            }
            state.withLock {
                $0.outcome = outcome
                $0.scanned = $0.scanned ?? []
            }
            changed.signal()
        }
    }

    /// Reads every file (on all cores) and reports the table names a scan finds in them.
    private static func readAndScan(_ paths: [String], found: ([String]) -> Void) -> [String: Result<
        [UInt8], ContractLoader.Unreadable
    >] {
        let contents = Mutex([String: Result<[UInt8], ContractLoader.Unreadable>](minimumCapacity: paths.count))
        let names = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: paths.count) { index in
            let path = paths[index]
            let read = ContractFolder.readFile(path)
            if case .success(let bytes) = read, !ContractLoader.isRegistry(path) {
                if path.hasSuffix(".json") {
                    if let hint = SeedContractReader.tableNameHint(bytes) { names.withLock { $0.append(hint) } }
                } else {
                    let hints = ODCSContractReader.tableNameHints(bytes)
                    if !hints.isEmpty { names.withLock { $0 += hints } }
                }
            }
            contents.withLock { $0[path] = read }
        }
        found(names.withLock { $0 })
        return contents.withLock { $0 }
    }

    /// The scan ends before any file is parsed: these are the first names known.
    private func addScanned(_ names: [String]) {
        state.withLock {
            $0.known = Set(names)
            $0.scanned = Array($0.known)
        }
        changed.signal()
    }

    /// Parser threads report out of order: the smallest count seen is the true one.
    private func addParsed(_ names: [String], filesLeft: Int) {
        state.withLock {
            for name in names where $0.known.insert(name).inserted { $0.names.append(name) }
            $0.filesLeft = min($0.filesLeft, filesLeft)
        }
        changed.signal()
    }

    /// Blocks until a batch is worth a catalog statement and takes it: first the scanned names,
    /// then every table name parsed since the last call that was not handed out before; nil once
    /// the folder is read and every name was taken.
    public func nextTableNames() -> [String]? {
        while true {
            let (batch, over): ([String]?, Bool) = state.withLock { state in
                if let scanned = state.scanned, !state.scanTaken {
                    state.scanTaken = true
                    if !scanned.isEmpty { return (scanned, false) }
                }
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
