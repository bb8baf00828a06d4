import Catalog
import Checks
import Contracts
import Foundation

/// What a poll that read the catalog brings back: the driver reads and checks, and hands this
/// to the status, which decides everything else (changes, causes, lifecycles) without I/O.
public struct CheckedPoll: Sendable {
    public var contracts: ContractSet
    /// The catalog as the checks saw it (a scoped read already merged into the last full one).
    public var snapshot: CatalogSnapshot
    public var result: CheckResult
    public var kind: PollKind
    /// The relation names re-read by a scoped poll; nil when the whole catalog was read.
    public var scope: Set<String>?
    public var server: ServerInfo
    /// A problem that is not a connection problem (an unreadable contracts folder).
    public var problem: String?
    public var startedAt: Date
    public var finishedAt: Date
    /// False for the first, quick read of a fresh start: only the contracted tables.
    public var catalogComplete: Bool

    public init(
        contracts: ContractSet, snapshot: CatalogSnapshot, result: CheckResult, kind: PollKind, scope: Set<String>?,
        server: ServerInfo, problem: String?, startedAt: Date, finishedAt: Date, catalogComplete: Bool = true
    ) {
        self.catalogComplete = catalogComplete
        self.contracts = contracts
        self.snapshot = snapshot
        self.result = result
        self.kind = kind
        self.scope = scope
        self.server = server
        self.problem = problem
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }
}

/// What a checked poll changes beyond its own fields, computed from a copy of the status (the
/// catalog diff can take milliseconds; the UI never waits for it behind the status lock).
public struct PollEffects: Sendable {
    /// New catalog changes, newest first, each with the violations it opened and closed.
    public var changes: [ChangeEvent]
    /// The violations this poll opened, each with the change that opened it.
    public var causes: [ViolationID: String]
    public var newViolations: Set<ViolationID>
    /// The history after this poll; `historyChanged` says whether it must be saved.
    public var history: ViolationHistory
    public var historyChanged: Bool
}

extension WatchStatus {
    /// At most this many change events are kept.
    public static let changeLimit = 1000

    /// The violations of the last checked poll; nil before the first one.
    public var currentViolationIDs: Set<ViolationID>? { result.map { Set($0.violations.map(\.id)) } }

    /// Everything `poll` changes: the catalog changes since the last poll with the violations each
    /// opened or closed, their causes, and the history (violations that appear while watching
    /// get an exact "first seen"; the ones open at the first poll only a lower bound).
    public func effects(of poll: CheckedPoll) -> PollEffects {
        let previous = currentViolationIDs
        let ids = Set(poll.result.violations.map(\.id))
        var changes = ChangeEvent.events(
            from: snapshot, to: poll.snapshot, at: poll.finishedAt, before: result?.violations ?? [],
            after: poll.result.violations, previous: previous, scope: poll.scope)
        if let migrations {
            for index in changes.indices {
                changes[index].migration = migrations.file(causing: changes[index])
            }
        }
        var causes: [ViolationID: String] = [:]
        for event in changes {
            for id in event.opened where causes[id] == nil {
                causes[id] =
                    "\(event.change.kind.rawValue) \(event.change.location)"
                    + (event.change.values.isEmpty ? "" : " (\(event.change.values))")
                    + (event.migration.map { ", caused by \($0)" } ?? "")
            }
        }
        let appeared = previous.map { ids.subtracting($0) } ?? []
        var history = history
        let historyChanged = history.apply(
            poll.result.violations, at: poll.finishedAt, appeared: appeared, causes: causes)
        return PollEffects(
            changes: changes.reversed(), causes: causes, newViolations: appeared, history: history,
            historyChanged: historyChanged)
    }

    /// Publishes a checked poll with its effects (computed by `effects(of:)` from this status).
    public mutating func record(_ poll: CheckedPoll, _ effects: PollEffects) {
        generation += 1
        contentVersion += 1
        connection = poll.server
        state = .connected
        contracts = poll.contracts
        result = poll.result
        snapshot = poll.snapshot
        catalogComplete = poll.catalogComplete
        lastPollAt = poll.finishedAt
        if watchingSince == nil { watchingSince = poll.finishedAt }
        lastPollSeconds = poll.finishedAt.timeIntervalSince(poll.startedAt)
        lastPollKind = poll.kind
        pollCount += 1
        if poll.kind == .full { fullReadCount += 1 }
        newViolations = effects.newViolations
        problem = poll.problem
        if !effects.changes.isEmpty {
            changes = Array((effects.changes + changes).prefix(Self.changeLimit))
        }
        let open = Set(poll.result.violations.map(\.id))
        causes = causes.merging(effects.causes) { old, _ in old }.filter { open.contains($0.key) }
        history = effects.history
    }

    /// Publishes a poll that found nothing changed: the open violations were seen again.
    public mutating func recordUnchanged(startedAt: Date, finishedAt: Date, problem: String?) {
        generation += 1
        state = .connected
        lastPollAt = finishedAt
        lastPollSeconds = finishedAt.timeIntervalSince(startedAt)
        lastPollKind = .unchanged
        history.touch(at: finishedAt)
        pollCount += 1
        newViolations = []
        self.problem = problem
    }

    /// Publishes a poll that could not check: the contracts as read, and the reason elsewhere.
    public mutating func recordUnchecked(contracts: ContractSet, problem: String?) {
        if self.contracts != contracts { contentVersion += 1 }
        self.contracts = contracts
        self.problem = problem
    }

    /// Follows the poll loop: its interval, pause and failure or lock state.
    public mutating func follow(_ loop: PollLoop, after event: PollLoop.Event, now: Date) {
        if interval != loop.interval || paused != loop.paused {
            interval = loop.interval
            paused = loop.paused
            generation += 1
        }
        if case .failed = event, case .failed(let attempt, let retryIn, let reason) = loop.phase {
            state = .retrying(attempt: attempt, retryAt: now.addingTimeInterval(retryIn), reason: reason)
            generation += 1
        }
        if case .blocked(let reason) = event {
            state = .blocked(reason: reason)
            generation += 1
        }
    }

    /// The history read from disk when the database is first reached.
    public mutating func restore(_ restored: ViolationHistory) {
        history = restored
        generation += 1
        contentVersion += 1
    }
}

extension ChangeEvent {
    /// The catalog changes between two snapshots, each with the violations on its table that
    /// this poll opened or closed. After a scoped poll only the re-read names are compared.
    public static func events(
        from old: CatalogSnapshot?, to new: CatalogSnapshot, at time: Date, before: [Violation], after: [Violation],
        previous: Set<ViolationID>?, scope: Set<String>? = nil
    ) -> [ChangeEvent] {
        guard let old, previous != nil else { return [] }
        func restrict(_ snapshot: CatalogSnapshot) -> CatalogSnapshot {
            guard let scope else { return snapshot }
            return CatalogSnapshot(database: snapshot.database, relations: snapshot.relations(named: scope))
        }
        let changes = CatalogDiff.changes(from: restrict(old), to: restrict(new))
        let afterIDs = Set(after.map(\.id))
        let beforeIDs = Set(before.map(\.id))
        let opened = after.filter { !beforeIDs.contains($0.id) }
        let closed = before.filter { !afterIDs.contains($0.id) }
        func onTable(_ violation: Violation, _ change: CatalogChange) -> Bool {
            violation.qualifiedTable == change.table
                || (change.kind == .tableRenamed && violation.qualifiedTable.description == change.old)
        }
        // A column change owns the violations of that column (by its new or old name); a table
        // change owns the table's. A violation no change owns exactly goes to every change of
        // its table, so none is left without a cause.
        func owns(_ change: CatalogChange, _ violation: Violation) -> Bool {
            guard onTable(violation, change) else { return false }
            guard let column = change.column else { return true }
            guard let violated = violation.column else { return false }
            return violated == column || (change.kind == .columnRenamed && violated == change.old)
        }
        func attribute(_ violations: [Violation]) -> [[ViolationID]] {
            var owned = changes.map { change in violations.filter { owns(change, $0) } }
            let claimed = Set(owned.flatMap { $0.map(\.id) })
            for violation in violations where !claimed.contains(violation.id) {
                for index in changes.indices where onTable(violation, changes[index]) { owned[index].append(violation) }
            }
            return owned.map { $0.map(\.id) }
        }
        let openedBy = attribute(opened)
        let closedBy = attribute(closed)
        return changes.indices.map { index in
            ChangeEvent(at: time, change: changes[index], opened: openedBy[index], closed: closedBy[index])
        }
    }
}
