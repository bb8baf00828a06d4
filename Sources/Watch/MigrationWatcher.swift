import Catalog
import CatalogReader
import Checks
import ContractFiles
import Dispatch
import Foundation
import Postgres
import Preview
import Synchronization
import WatchModel

/// Watches a migrations folder for the dashboard: on every save (inotify on the folder), and
/// when the target's catalog changes, it previews the pending files together on a schema copy
/// and publishes a `MigrationsStatus` through the checker.
///
/// The schema copy is made once and kept while the dashboard runs: a preview always rolls
/// back, so the copy is the same for the next run, which then takes milliseconds instead of a
/// dump and restore. It is made again only when the target's schema changed (the checker saw
/// a catalog change, or the tool's history table moved). Runs on its own serial queue; a save
/// during a run schedules one more run after it.
public final class MigrationWatcher: Sendable {
    public struct Configuration: Sendable {
        public var folder: String
        /// The target (read only: the copy's schema, its statistics and the history table).
        public var settings: ConnectionSettings
        /// With a folder of plain numbered files, the first pending one.
        public var from: String?
        /// Seconds between looks at the tool's history table (a migration applied by the tool).
        public var historyInterval: Double

        public init(folder: String, settings: ConnectionSettings, from: String? = nil, historyInterval: Double = 2) {
            self.folder = folder
            self.settings = settings
            self.from = from
            self.historyInterval = historyInterval
        }
    }

    private struct State {
        var copy: ScratchCopy?
        var sizes: [QualifiedName: RelationSize] = [:]
        /// The copy no longer matches the target's schema.
        var copyStale = true
        var watch: FolderWatch?
        var readSource: DispatchSourceRead?
        var historyTimer: DispatchSourceTimer?
        var historySignature: String?
        /// Without inotify: the folder's `*.sql` names, sizes and modification times.
        var folderSignature: String?
        /// The layout of the last run, and a session to read its tool's history table with.
        var layout: MigrationFolder.Layout?
        var historyConnection: Connection?
        /// A run was asked for while one was running or being debounced.
        var scheduled = false
        var stopped = false
    }

    let configuration: Configuration
    private let checker: Watcher
    private let queue = DispatchQueue(label: "contractwatch.migrations", qos: .userInitiated)
    private let state = Mutex(State())
    /// Set by `stop()`: the schema copy being made (initdb, pg_dump, psql) stops at once.
    private let cancellation = Cancellation()

    /// Editors save through a temporary file and a rename: one run after the burst settles.
    static let debounce = DispatchTimeInterval.milliseconds(150)

    public init(_ configuration: Configuration, checker: Watcher) {
        self.configuration = configuration
        self.checker = checker
        checker.publishMigrations(MigrationsStatus(folder: configuration.folder))
    }

    /// Starts watching: the first run at once, then on saves, catalog changes and history moves.
    public func start() {
        queue.async { [self] in
            state.withLock { state in
                // Created inside the lock so the watch never leaves the state's region.
                let watch = FolderWatch(configuration.folder)
                _ = watch.hasChanges()
                state.watch = watch
                if watch.isActive {
                    let source = DispatchSource.makeReadSource(fileDescriptor: watch.descriptor, queue: queue)
                    source.setEventHandler { [weak self] in self?.folderChanged() }
                    source.resume()
                    state.readSource = source
                }
                let timer = DispatchSource.makeTimerSource(queue: queue)
                timer.setEventHandler { [weak self] in self?.lookAtHistory() }
                let every = DispatchTimeInterval.milliseconds(Int(configuration.historyInterval * 1000))
                // Without inotify, the folder is looked at on the same timer.
                timer.schedule(deadline: .now() + every, repeating: every, leeway: .milliseconds(200))
                timer.resume()
                state.historyTimer = timer
            }
            run()
        }
        checker.onCatalogChange { [weak self] in self?.catalogChanged() }
    }

    /// Stops watching and removes the schema copy. A copy being made is cancelled (its programs
    /// terminated, its server removed); a preview running on a copy is waited for (it runs on
    /// empty tables, within the statement timeout).
    public func stop() {
        state.withLock { $0.stopped = true }
        cancellation.cancel()
        queue.sync {
            let copy = state.withLock { state in
                state.stopped = true
                state.readSource?.cancel()
                state.historyTimer?.cancel()
                state.readSource = nil
                state.historyTimer = nil
                state.historyConnection = nil
                defer { state.copy = nil }
                return state.copy
            }
            copy?.tearDown()
        }
    }

    /// Runs again now (the `R` key).
    public func rerun() {
        schedule(after: .milliseconds(0))
    }

    /// The target's schema changed: the copy is remade before the next run.
    func catalogChanged() {
        state.withLock { $0.copyStale = true }
        schedule(after: Self.debounce)
    }

    private func folderChanged() {
        let changed = state.withLock { $0.watch?.hasChanges() ?? true }
        if changed { schedule(after: Self.debounce) }
    }

    /// On the timer: the tool's history table (a migration applied), and the folder when there
    /// is no inotify.
    private func lookAtHistory() {
        let (inotify, stopped) = state.withLock { ($0.watch?.isActive ?? false, $0.stopped) }
        guard !stopped else { return }
        if !inotify {
            let signature = folderSignature()
            let changed = state.withLock { state in
                defer { state.folderSignature = signature }
                return state.folderSignature != signature
            }
            if changed { schedule(after: .milliseconds(0)) }
        }
        let signature = historySignature()
        let moved = state.withLock { state in
            defer { state.historySignature = signature }
            return state.historySignature != nil && state.historySignature != signature
        }
        if moved { catalogChanged() }
    }

    private func folderSignature() -> String {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: configuration.folder)) ?? []
        return names.filter { $0.lowercased().hasSuffix(".sql") }.sorted().map { name in
            let attributes = try? FileManager.default.attributesOfItem(atPath: configuration.folder + "/" + name)
            let size = (attributes?[.size] as? NSNumber)?.intValue ?? -1
            let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            return "\(name)|\(size)|\(modified)"
        }.joined(separator: "\n")
    }

    /// What the history table says now, in one line; nil without one (or while unreachable).
    /// One read-only session is kept for it: the look costs a query, not a connection.
    private func historySignature() -> String? {
        state.withLock { state -> String? in
            guard configuration.from == nil, let layout = state.layout,
                MigrationHistory.tableName(for: layout) != nil
            else { return nil }
            if state.historyConnection?.isConnected != true {
                var readOnly = configuration.settings
                readOnly.readOnly = true
                state.historyConnection = try? Connection(readOnly)
            }
            guard let connection = state.historyConnection,
                let history = try? MigrationSource.history(connection, layout: layout)
            else {
                state.historyConnection = nil
                return nil
            }
            return "\(history.entries.count)|\(history.current ?? "")|\(history.dirty)|"
                + "\(history.entries.last.map { "\($0.version ?? "")\($0.checksum ?? 0)" } ?? "")"
        }
    }

    private func schedule(after delay: DispatchTimeInterval) {
        let first = state.withLock { state in
            defer { state.scheduled = true }
            return !state.scheduled && !state.stopped
        }
        guard first else { return }
        queue.asyncAfter(deadline: .now() + delay) { [weak self] in
            guard let self else { return }
            state.withLock { $0.scheduled = false }
            run()
        }
    }

    /// One run, on `queue`.
    private func run() {
        guard !state.withLock({ $0.stopped }) else { return }
        let previous = checker.latest.migrations
        var status = previous ?? MigrationsStatus(folder: configuration.folder)
        status.running = true
        checker.publishMigrations(status)
        let started = Date()
        status = preview(previous: previous)
        // Stopped meanwhile: the run was cancelled, and nobody is left to show its error to.
        guard !state.withLock({ $0.stopped }) else { return }
        status.running = false
        status.ranAt = Date()
        status.seconds = Date().timeIntervalSince(started)
        status.runCount = (previous?.runCount ?? 0) + 1
        checker.publishMigrations(status)
    }

    private func preview(previous: MigrationsStatus?) -> MigrationsStatus {
        var status = MigrationsStatus(folder: configuration.folder)
        let found: (folder: MigrationFolder, pending: PendingMigrations)
        do {
            found = try MigrationSource.pending(
                folder: configuration.folder, settings: configuration.settings, from: configuration.from)
        } catch {
            status.error = error.description
            return status
        }
        status.layout = found.folder.layout
        state.withLock { $0.layout = found.folder.layout }
        status.notes = found.pending.notes
        status.skipped = found.folder.skipped.map { "\($0.name): \($0.reason)" }
        status.appliedCount = found.pending.applied.count
        let pending = found.pending.pending
        guard !pending.isEmpty else { return status }
        let versions = Dictionary(pending.map { ($0.name, $0.version) }, uniquingKeysWith: { a, _ in a })
        let script = MigrationScript(files: pending.map { ($0.name, $0.sql, $0.lineOffset) })
        // Until the run says more, each file is listed with its statements.
        status.attribute(
            statements: script.statements, versions: versions, introduced: [], introducedBy: [:], hazards: [],
            suppressed: [], effects: [], previous: nil)
        do throws(MigrationPreview.Failure) {
            _ = try MigrationPreview.validate(script, standIns: true)
        } catch {
            if case .refused(let refusals) = error, let first = refusals.first {
                status.failure = MigrationsStatus.Failure(file: first.file, line: first.line, message: first.reason)
            }
            status.error = error.description
            return status
        }
        let copy: ScratchCopy
        let sizes: [QualifiedName: RelationSize]
        do throws(PostgresError) {
            (copy, sizes) = try currentCopy()
        } catch {
            status.error = "cannot make the schema copy to preview on: \(error.description)"
            return status
        }
        let contracts = checker.latest.contracts
        do throws(MigrationPreview.Failure) {
            let run = try MigrationPreview.run(
                script: script, contracts: contracts, settings: copy.settings, sizes: sizes, standIns: true)
            let impact = MigrationImpact(before: run.before, after: run.after)
            status.fixed = impact.fixed
            status.attribute(
                statements: run.statements, versions: versions, introduced: impact.introduced,
                introducedBy: run.introducedBy, hazards: run.hazards, suppressed: run.suppressed,
                effects: run.effects, previous: previous)
        } catch {
            if case .migrationFailed(let failure, _, _, let line, let file) = error {
                var message = failure.message
                if let detail = failure.detail { message += "; DETAIL: \(detail)" }
                if let hint = failure.hint { message += "; HINT: \(hint)" }
                status.failure = MigrationsStatus.Failure(file: file, line: line, message: message)
                if let index = status.files.firstIndex(where: { $0.name == file }) {
                    status.files[index].failure = status.failure
                }
            } else {
                // The copy may be gone (its server stopped): make it again next time.
                state.withLock { $0.copyStale = true }
            }
            status.error = error.description
        }
        return status
    }

    /// The schema copy, made (again) when there is none or the target's schema changed.
    private func currentCopy() throws(PostgresError) -> (ScratchCopy, [QualifiedName: RelationSize]) {
        let (existing, stale, sizes) = state.withLock { ($0.copy, $0.copyStale, $0.sizes) }
        if let existing, !stale { return (existing, sizes) }
        existing?.tearDown()
        state.withLock { $0.copy = nil }
        let freshSizes = try MigrationPreview.sizes(configuration.settings)
        let copy = try ScratchCopy.make(from: configuration.settings, cancellation: cancellation)
        state.withLock { state in
            state.copy = copy
            state.sizes = freshSizes
            state.copyStale = false
        }
        return (copy, freshSizes)
    }
}
