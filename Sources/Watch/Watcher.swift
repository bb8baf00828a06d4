import Catalog
import CatalogReader
import Checks
import ContractFiles
import Contracts
import Dispatch
import Foundation
import Postgres
import Synchronization
import WatchModel

/// The background checker: polls the database on its own serial queue with a
/// `DispatchSourceTimer`, runs the checks, and publishes an immutable `WatchStatus`.
///
/// Its libpq connection lives inside `worker` and is only touched on `queue`. The UI reads
/// `latest` (a short lock around a struct copy) and never waits for a poll.
public final class Watcher: CheckerControl {
    public struct Configuration: Sendable {
        public var settings: ConnectionSettings
        public var contractsFolder: String
        public var interval: Double
        /// Where violation history is kept (nil: not kept, e.g. in tests that do not want it).
        public var historyDirectory: String?
        /// Seconds between reads of the whole catalog (the Tables screen, uncontracted tables);
        /// polls in between read only the contracted tables. nil: 30 s or 10 intervals.
        public var fullRefreshSeconds: Double?
        /// Log every poll (its kind, duration and findings), not only failures (`--debug`).
        public var debug = false

        public init(
            settings: ConnectionSettings, contractsFolder: String, interval: Double, historyDirectory: String? = nil,
            fullRefreshSeconds: Double? = nil, debug: Bool = false
        ) {
            self.debug = debug
            self.settings = settings
            self.contractsFolder = contractsFolder
            self.interval = interval
            self.historyDirectory = historyDirectory
            self.fullRefreshSeconds = fullRefreshSeconds
        }
    }

    /// State owned by the checker's queue.
    private struct Worker {
        var loop: PollLoop
        var connection: Connection?
        var timer: DispatchSourceTimer?
        /// What the read planner compares with: write marks, fingerprints, last full read.
        var memory = ReadPlan.Memory()
        var contracts: ContractSet?
        /// The last full catalog, with the contracted tables refreshed since.
        var catalog: CatalogSnapshot?
        var contractsSignature: String?
        /// Cheaper than the signature where inotify exists: nothing changed → no stat at all.
        var folderWatch: FolderWatch?
        var store: HistoryStore?
        var historyOpened = false
    }

    let configuration: Configuration
    private let queue = DispatchQueue(label: "contractwatch.checker", qos: .utility)
    private let worker: Mutex<Worker>
    private let mailbox: Mutex<WatchStatus>
    /// Called after each publication (the UI sleeps until then, or until input).
    private let wakeUI = Mutex<(@Sendable () -> Void)?>(nil)
    /// Called (on the checker's queue) after a poll that saw the catalog change, and when the
    /// user asks for a poll: the migration watcher's cue to remake its copy and run again.
    private let catalogHooks = Mutex<(changed: (@Sendable () -> Void)?, pollNow: (@Sendable () -> Void)?)>((nil, nil))
    /// Set by `pollNow()` (from the UI): the next poll reads the whole catalog.
    private let fullReadRequested = Atomic<Bool>(false)
    /// Set by `stop()`: a poll failing from then on was cancelled; it is not logged as a failure.
    private let stopping = Atomic<Bool>(false)
    let log: EventLog?

    public init(_ configuration: Configuration, log: EventLog? = nil) {
        self.configuration = configuration
        self.log = log
        let loop = PollLoop(interval: configuration.interval)
        worker = Mutex(Worker(loop: loop))
        var status = WatchStatus(target: Self.describe(configuration.settings), interval: loop.interval)
        status.contractsFolder = configuration.contractsFolder
        mailbox = Mutex(status)
    }

    /// The most recent status. Never blocks on a poll.
    public var latest: WatchStatus { mailbox.withLock { $0 } }

    /// Starts polling: the first poll runs at once.
    public func start() {
        queue.async { [self] in
            worker.withLock { state in
                // Created inside the lock so the timer never leaves the worker's region.
                let timer = DispatchSource.makeTimerSource(queue: queue)
                timer.setEventHandler { [weak self] in self?.handle(.tick) }
                timer.schedule(deadline: .distantFuture)
                timer.resume()
                state.timer = timer
            }
            handle(.tick)
        }
    }

    /// Stops the timer and closes the connection. A poll in progress is cancelled (its statement
    /// on the server too), then waited for: it ends at once.
    public func stop() {
        // A poll under way (a full read takes seconds on a large catalog) is cancelled, not waited for.
        stopping.store(true, ordering: .releasing)
        worker.withLock { $0.connection?.canceller }?.cancel()
        queue.sync {
            let store = worker.withLock { state in
                state.timer?.cancel()
                state.timer = nil
                state.connection = nil
                return state.store
            }
            saveHistory(store, latest.history)
        }
    }

    /// `changed` after a poll that saw the catalog change; `pollNow` when the user asks to reread.
    public func onCatalogChange(_ changed: @escaping @Sendable () -> Void, pollNow: (@Sendable () -> Void)? = nil) {
        catalogHooks.withLock { $0 = (changed, pollNow) }
    }

    /// The Migrations screen's state, from the migration watcher.
    public func publishMigrations(_ migrations: MigrationsStatus) {
        publish { status in
            status.migrations = migrations
            status.generation += 1
            status.contentVersion += 1
        }
    }

    func publishPreview(_ outcome: PreviewOutcome?) {
        publish { status in
            status.preview = outcome
            status.generation += 1
            status.contentVersion += 1
        }
    }

    /// Changes the published status, then wakes the UI if there is something new to show
    /// (a tick that changed nothing wakes nobody).
    private func publish(_ change: (inout WatchStatus) -> Void) {
        let changed = mailbox.withLock { status in
            let before = status.generation
            change(&status)
            return status.generation != before
        }
        if changed { wakeUI.withLock { $0 }?() }
    }

    public func onPublish(_ wake: @escaping @Sendable () -> Void) {
        wakeUI.withLock { $0 = wake }
    }

    /// Forgets the last preview.
    public func clearPreview() { publishPreview(nil) }

    private func saveHistory(_ store: HistoryStore?, _ history: ViolationHistory) {
        guard let store else { return }
        do { try store.save(history) } catch { log?.write("could not save history to \(store.path): \(error)") }
    }

    /// Opens the history of the connected database on first use (keyed by system identifier).
    private func openHistory(_ connection: Connection) {
        // Once per session: a file this version cannot read is not tried again every poll.
        guard let directory = configuration.historyDirectory,
            worker.withLock({ state in
                defer { state.historyOpened = true }
                return !state.historyOpened
            })
        else { return }
        let identity =
            (try? connection.query("SELECT system_identifier::text FROM pg_catalog.pg_control_system()").string(0, 0))
            ?? nil
        let info = connection.info
        let store = HistoryStore(
            directory: directory, systemIdentifier: identity ?? "\(info.host)_\(info.port)", database: info.database)
        guard let history = store.load() else {
            // Keep the history in memory only: the file is a newer version (or damaged).
            log?.write("history \(store.path) is not a format this version reads; it is left as it is and not updated")
            return
        }
        worker.withLock { $0.store = store }
        publish { $0.restore(history) }
    }

    /// Polls at once and reads the whole catalog (not only the contracted tables).
    public func pollNow() {
        fullReadRequested.store(true, ordering: .relaxed)
        send(.pollNow)
        catalogHooks.withLock { $0.pollNow }?()
    }
    public func setPaused(_ paused: Bool) { send(paused ? .pause : .resume) }
    public func setInterval(_ seconds: Double) { send(.setInterval(seconds)) }

    private func send(_ event: PollLoop.Event) {
        queue.async { [self] in handle(event) }
    }

    /// Runs on `queue`.
    private func handle(_ event: PollLoop.Event) {
        let (actions, loop) = worker.withLock { state in
            (state.loop.handle(event), state.loop)
        }
        publish { $0.follow(loop, after: event, now: Date()) }
        for action in actions {
            switch action {
            case .poll:
                mailbox.withLock { $0.pollStartedAt = Date() }
                let event = poll()
                mailbox.withLock { $0.pollStartedAt = nil }
                handle(event)
            case .schedule(let seconds):
                worker.withLock { state in
                    state.timer?.schedule(deadline: .now() + seconds, leeway: .milliseconds(20))
                }
            }
        }
    }

    /// One poll: (re)connect if needed; skip the snapshot when nothing changed (write marks,
    /// the catalog-wide version for a full read, the contracted relations' fingerprints, and the
    /// contract files); else snapshot, check, diff, publish.
    private func poll() -> PollLoop.Event {
        let started = Date()
        let (contracts, signature, problem) = currentContracts()
        do {
            let connection = try currentConnection()
            openHistory(connection)
            let names = Set(contracts.contracts.map(\.table.name))
            let requested = fullReadRequested.exchange(false, ordering: .relaxed)
            let (memory, catalog, sameContracts, interval) = worker.withLock {
                ($0.memory, $0.catalog, $0.contracts == contracts, $0.loop.interval)
            }
            // A fresh start: contracts and violations first, before any probe (the contracted
            // tables take milliseconds at any catalog size; the catalog-wide probe alone takes
            // 200-600 ms at 20-50k tables), then the probes and the whole catalog in this poll.
            let freshStart = catalog == nil && !names.isEmpty
            if freshStart {
                let first = try CatalogReader.snapshot(connection, names: names)
                publishChecked(
                    CheckedPoll(
                        contracts: contracts, snapshot: first, result: Checker.check(contracts, against: first),
                        kind: .scoped, scope: nil, server: connection.info, problem: problem, startedAt: started,
                        finishedAt: Date(), catalogComplete: false), started: started)
            }
            let refreshEvery = ReadPlan.fullReadCadence(
                configured: configuration.fullRefreshSeconds, interval: interval, memory: memory)
            var fullRead = ReadPlan.fullRead(memory, now: started, requested: requested, refreshEvery: refreshEvery)
            // 1. Nothing committed anywhere since the last probe (the WAL stood still, or moved
            // only for maintenance: VACUUM, checkpoints): nothing to do.
            let writes = CatalogFingerprint.writeMarks(connection)
            if ReadPlan.stopsAtWrites(memory, writes: writes, contractsSame: sameContracts, fullRead: fullRead) {
                let why = writes.wal == memory.writes?.wal ? "WAL still" : "WAL moved, no transaction that wrote ended"
                return publishUnchanged(started: started, problem: problem, why: why)
            }
            // 2. A full read waits for DDL somewhere in the catalog (data writes commit too).
            // First the catalogs' row counts (statistics: a few function calls at any catalog
            // size): unchanged, only data was written, and the catalog-wide probe can wait.
            let activity = fullRead == .notDue ? nil : CatalogFingerprint.catalogActivity(connection)
            var catalogVersion: String?
            if fullRead == .dueByCadence,
                ReadPlan.skipsCatalogProbe(
                    activity: activity, sinceCheck: memory.activityAtCatalogCheck, checkedAt: memory.lastCatalogProbe,
                    now: started, refreshEvery: refreshEvery)
            {
                // Asked again `statisticsDelay` from now; the write marks of the last catalog
                // check are kept, so a catalog that changed meanwhile is still looked at.
                worker.withLock {
                    $0.memory.lastFullRead = ReadPlan.lastFullReadAfterSkip(now: started, refreshEvery: refreshEvery)
                }
                if configuration.debug { log?.write("full read skipped: no catalog change counted (statistics)") }
                fullRead = .notDue
            } else if fullRead != .notDue {
                let probeStarted = Date()
                catalogVersion = try? CatalogFingerprint.catalogVersion(connection)
                let probeSeconds = Date().timeIntervalSince(probeStarted)
                let gated = ReadPlan.gated(fullRead, memory: memory, catalogVersion: catalogVersion)
                worker.withLock { state in
                    state.memory.catalogVersionSeconds = probeSeconds
                    if gated != fullRead {
                        state.memory.lastFullRead = started
                        state.memory.writesAtCatalogCheck = writes
                        state.memory.activityAtCatalogCheck = activity
                        state.memory.lastCatalogProbe = started
                    }
                }
                if gated != fullRead {
                    log?.write("full read skipped: no DDL since the last one (probe \(Int(probeSeconds * 1000)) ms)")
                    fullRead = gated
                }
            }
            // 3. The contracted relations' fingerprints say which read is needed.
            let fingerprint = try CatalogFingerprint.relationFingerprints(connection, names: names)
            let snapshot: CatalogSnapshot
            let kind: PollKind
            var reread: Set<String>?
            switch ReadPlan.read(
                memory, fullRead: fullRead, contractsSame: sameContracts, names: names, fingerprints: fingerprint)
            {
            case .none:
                worker.withLock { $0.memory.writes = writes }
                return publishUnchanged(
                    started: started, problem: problem, why: "contracted tables probed: \(names.count)")
            case .full:
                if freshStart {
                    // The whole catalog is diffed against the first publish on these names only:
                    // the rest was not seen before, so it did not change.
                    reread = names
                }
                snapshot = try CatalogReader.snapshot(connection)
                kind = .full
            case .scoped(let changed):
                let scoped = try CatalogReader.snapshot(connection, names: changed)
                snapshot = catalog.map { $0.merging(scoped, names: changed) } ?? scoped
                kind = .scoped
                reread = changed
            }
            worker.withLock { state in
                state.catalog = snapshot
                state.memory.hasCatalog = true
                state.memory.fingerprintNames = names
                if kind == .full {
                    state.memory.lastFullRead = started
                    state.memory.catalogVersion = catalogVersion
                    state.memory.writesAtCatalogCheck = writes
                    state.memory.activityAtCatalogCheck = activity
                    state.memory.lastCatalogProbe = started
                    state.memory.forceFull = false
                }
                state.memory.writes = writes
                state.memory.fingerprints = fingerprint
                state.contracts = contracts
                state.contractsSignature = signature
            }
            publishChecked(
                CheckedPoll(
                    contracts: contracts, snapshot: snapshot, result: Checker.check(contracts, against: snapshot),
                    kind: kind, scope: reread, server: connection.info, problem: problem, startedAt: started,
                    finishedAt: Date()), started: started)
            if kind == .full {
                // The previous catalog and the query's batches are freed once the screen has taken
                // the new one; give that memory back to the system instead of keeping it as the
                // process's (at 50,000 tables a re-read otherwise leaves the RSS ~130 MB higher).
                queue.asyncAfter(deadline: .now() + 2) { Self.returnFreedMemory() }
            }
            return .succeeded(seconds: Date().timeIntervalSince(started))
        } catch {
            if stopping.load(ordering: .acquiring) { return .failed(reason: "stopped") }
            // Waited out lock_timeout behind another session: say whose lock, keep the
            // connection (nothing is wrong with it) and try again soon.
            if error.sqlState == "55P03", let connection = worker.withLock({ $0.connection }) {
                let names = Set(contracts.contracts.map(\.table.name))
                let holders = (try? CatalogLocks.holders(connection, names: names)) ?? []
                let reason =
                    holders.first.map {
                        "blocked by \($0)" + (holders.count > 1 ? " (and \(holders.count - 1) more)" : "")
                    }
                    ?? "blocked by a lock (lock_timeout)"
                log?.write("poll \(reason)")
                publish { $0.recordUnchecked(contracts: contracts, problem: problem) }
                return .blocked(reason: reason)
            }
            // Whatever broke, start from a fresh connection next time (a restarted server
            // invalidates the old one; a reset keeps no state we need).
            worker.withLock { $0.connection = nil }
            log?.write("poll failed: \(error.description)")
            publish { $0.recordUnchecked(contracts: contracts, problem: problem) }
            return .failed(reason: error.description)
        }
    }

    /// The contracts, read and parsed only when the folder changed: first the inotify watch (one
    /// read), then the stat signature (one stat per file). A folder that cannot be read gives no
    /// contracts and the reason.
    private func currentContracts() -> (contracts: ContractSet, signature: String?, problem: String?) {
        let (plan, cachedSignature) = worker.withLock { state in
            if state.folderWatch == nil { state.folderWatch = FolderWatch(configuration.contractsFolder) }
            let inotify = state.folderWatch.flatMap { $0.isActive ? $0.hasChanges() : nil }
            return (
                ReadPlan.contractsRead(inotifyChanged: inotify, haveContracts: state.contracts != nil),
                state.contractsSignature
            )
        }
        let signature = plan == .reuse ? cachedSignature : ContractFolder.signature(configuration.contractsFolder)
        if let signature, let cached = worker.withLock({ $0.contractsSignature == signature ? $0.contracts : nil }) {
            return (cached, signature, nil)
        }
        do {
            return (try ContractFolder.load(configuration.contractsFolder), signature, nil)
        } catch {
            return (ContractSet(contracts: [], errors: [], fileCount: 0), signature, error.description)
        }
    }

    /// The session, connecting (again) when there is none; a new session reads everything once.
    /// Only this queue takes the worker lock (the UI uses `mailbox` and `fullReadRequested`), so
    /// connecting while holding it never blocks the UI.
    private func currentConnection() throws(PostgresError) -> Connection {
        try worker.withLock { state throws(PostgresError) -> Connection in
            if let existing = state.connection, existing.isConnected { return existing }
            let fresh = try Connection(
                configuration.settings, onNotice: { [log] notice in log?.write("server notice: \(notice)") })
            state.connection = fresh
            state.memory.writes = nil
            state.memory.fingerprints = nil
            state.memory.forceFull = true
            return fresh
        }
    }

    /// Publishes a checked poll with what it changes (decided by the status), logs it with
    /// `--debug`, and saves the history when a violation opened or resolved.
    private func publishChecked(_ poll: CheckedPoll, started: Date) {
        // Only this queue changes what `effects` reads, so they are computed from a copy,
        // outside the lock: the UI never waits for the catalog diff.
        let effects = latest.effects(of: poll)
        publish { $0.record(poll, effects) }
        if !effects.changes.isEmpty { catalogHooks.withLock { $0.changed }?() }
        if configuration.debug {
            let milliseconds = Int(poll.finishedAt.timeIntervalSince(started) * 1000)
            log?.write(
                "poll \(poll.kind.rawValue) in \(milliseconds) ms: \(poll.result.violations.count) violations, "
                    + "\(effects.changes.count) changes" + (poll.scope.map { ", reread " + Self.sample($0) } ?? ""))
        }
        if effects.historyChanged { saveHistory(worker.withLock { $0.store }, effects.history) }
    }

    /// A set of names for the log: all of a few, else the count and the first ones (a fresh
    /// start rereads every contracted table; 2,000 names made a 30 KB line).
    static func sample(_ names: Set<String>, shown: Int = 5) -> String {
        let sorted = names.sorted()
        guard sorted.count > shown else { return "\(sorted)" }
        return "\(sorted.count) relations (\(sorted.prefix(shown).joined(separator: ", ")), …)"
    }

    /// `why`: for `--debug`, what told the poll that nothing changed.
    private func publishUnchanged(started: Date, problem: String?, why: String) -> PollLoop.Event {
        if configuration.debug {
            log?.write("poll unchanged in \(Int(Date().timeIntervalSince(started) * 1000)) ms (\(why))")
        }
        publish { $0.recordUnchanged(startedAt: started, finishedAt: Date(), problem: problem) }
        return .succeeded(seconds: Date().timeIntervalSince(started))
    }

    /// glibc keeps freed memory in its arenas; `malloc_trim` returns what it can to the system.
    /// Looked up at run time: Swift's Glibc module does not export malloc.h, and another C
    /// library (musl) has no such call, which then costs nothing.
    static func returnFreedMemory() {
        typealias Trim = @convention(c) (Int) -> Int32
        guard let symbol = dlsym(nil, "malloc_trim") else { return }
        _ = unsafeBitCast(symbol, to: Trim.self)(0)
    }

    static func describe(_ settings: ConnectionSettings) -> String {
        guard let dsn = settings.dsn, !dsn.isEmpty else { return "libpq defaults (PG* environment)" }
        return "configured DSN"
    }
}

/// Appends timestamped lines to the log file; never to the terminal (curses owns it).
public final class EventLog: Sendable {
    private let handle: Mutex<FileHandle?>
    public let path: String

    /// `$XDG_STATE_HOME/contractwatch/contractwatch.log` (default `~/.local/state/…`).
    public static func defaultPath() -> String {
        let environment = ProcessInfo.processInfo.environment
        let base =
            environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() + "/.local/state")
        return base + "/contractwatch/contractwatch.log"
    }

    public init(path: String = EventLog.defaultPath()) {
        self.path = path
        let folder = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        // O_APPEND: each line is one write at the end of the file, whoever else appends (two
        // dashboards on one log interleave lines, never overwrite them).
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        handle = Mutex(descriptor >= 0 ? FileHandle(fileDescriptor: descriptor, closeOnDealloc: true) : nil)
    }

    public func write(_ line: String) {
        // Milliseconds: the log is where a slow poll's phases are read.
        let stamp = Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        // Server messages quote names, which may carry escape sequences: none reach a `tail -f`.
        let text = "\(stamp) \(ControlCharacters.escaped(line).replacingOccurrences(of: "\n", with: "\\n"))\n"
        handle.withLock { file in
            file?.write(Data(text.utf8))
        }
    }
}
