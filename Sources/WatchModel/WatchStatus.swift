import Catalog
import Checks
import Contracts
import Foundation

/// Whether the checker can reach the database right now.
public enum ConnectionState: Sendable, Equatable {
    case connecting
    case connected
    /// The last attempt failed; the next one is at `retryAt`.
    case retrying(attempt: Int, retryAt: Date, reason: String)
    /// Connected, but the last poll waited out lock_timeout behind another session's lock;
    /// `reason` names the lock and its holder.
    case blocked(reason: String)
}

/// A catalog change seen by the checker, with the violations it opened and closed.
public struct ChangeEvent: Sendable, Hashable {
    public var at: Date
    public var change: CatalogChange
    public var opened: [ViolationID]
    public var closed: [ViolationID]
    /// The watched migration file that made it: the one whose preview predicted a violation
    /// it opened, else the one whose statements touched its table.
    public var migration: String?

    public init(
        at: Date, change: CatalogChange, opened: [ViolationID] = [], closed: [ViolationID] = [],
        migration: String? = nil
    ) {
        self.at = at
        self.change = change
        self.opened = opened
        self.closed = closed
        self.migration = migration
    }
}

/// What the last poll had to do.
public enum PollKind: String, Sendable, Hashable {
    /// The whole catalog read and checked (on its own slower cadence, and on `R`).
    case full
    /// Only the contracted tables read (their fingerprint changed) and checked.
    case scoped
    /// Nothing changed (write marks or catalog fingerprint, and contracts): snapshot skipped.
    case unchanged
}

/// One immutable picture of what the checker knows, published after every poll. The UI takes
/// the latest without blocking and never sees a half-updated one.
public struct WatchStatus: Sendable {
    /// Increases with every publication; the UI redraws when it changes.
    public var generation: Int = 0
    /// Increases only when what the screens show changed (findings, catalog, contracts, history,
    /// preview), not for "nothing changed" polls: the UI rebuilds its rows only then.
    public var contentVersion: Int = 0
    public var target: String
    public var connection: ServerInfo?
    public var state: ConnectionState = .connecting
    public var contracts: ContractSet = ContractSet(contracts: [], errors: [], fileCount: 0)
    public var result: CheckResult?
    public var snapshot: CatalogSnapshot?
    /// False while only the contracted tables have been read (the first moments of a start on a
    /// large catalog): the Tables screen says the rest is on its way.
    public var catalogComplete = true
    public var lastPollAt: Date?
    /// When the poll in flight started (nil between polls): a poll that takes long is shown as
    /// waiting for the server, not as "connected".
    public var pollStartedAt: Date?
    public var lastPollSeconds: Double?
    public var pollCount = 0
    /// Polls that read the whole catalog (the debug log and the tests watch the gate with it).
    public var fullReadCount = 0
    /// Violations in this poll that were not in the previous successful one.
    public var newViolations: Set<ViolationID> = []

    /// How long a violation has been open, and whether that is exact (it appeared while
    /// watching) or a lower bound (it was already open at the first poll).
    public func openFor(_ id: ViolationID) -> (seconds: Double, exact: Bool)? {
        guard let at = lastPollAt else { return nil }
        if let record = history.record(for: id), record.isOpen {
            return (at.timeIntervalSince(record.firstSeen), record.firstSeenExact)
        }
        guard let since = watchingSince else { return nil }
        return (at.timeIntervalSince(since), false)
    }

    /// When the violation opened, as the history remembers it.
    public func openSince(_ id: ViolationID) -> Date? {
        history.record(for: id).flatMap { $0.isOpen ? $0.firstSeen : nil }
    }

    /// When the violation appeared while watching: its history record opened at a poll of this
    /// session. Those already open at the first poll (or in an earlier session) are not news.
    /// The history is the one record of a violation's life; this is derived from it.
    public func appearedWhileWatching(_ id: ViolationID) -> Date? {
        guard let record = history.record(for: id), record.isOpen, record.firstSeenExact,
            watchingSince.map({ record.firstSeen >= $0.addingTimeInterval(-0.001) }) ?? true
        else { return nil }
        return record.firstSeen
    }

    /// The change that opened the violation, as remembered.
    public func cause(_ id: ViolationID) -> String? {
        causes[id] ?? history.record(for: id)?.cause
    }

    /// Appeared within `window` seconds of the latest poll: what the UI marks as new.
    public func isRecent(_ id: ViolationID, window: Double = 60) -> Bool {
        guard let seen = appearedWhileWatching(id), let at = lastPollAt else { return false }
        return at.timeIntervalSince(seen) <= window
    }
    public var interval: Double
    public var paused = false
    public var lastPollKind: PollKind = .full
    /// Catalog changes seen while watching, newest first.
    public var changes: [ChangeEvent] = []
    /// For violations that appeared while watching: the change that opened them.
    public var causes: [ViolationID: String] = [:]
    /// The last migration preview (`p`), shown as "would break" beside the live violations.
    public var preview: PreviewOutcome?
    /// The watched migrations folder (`--migrations`): nil when none is watched.
    public var migrations: MigrationsStatus?
    /// Lifecycles of this database's violations, kept across restarts (when a store is set).
    public var history = ViolationHistory()
    /// The contracts folder being watched (for messages that say how to reproduce).
    public var contractsFolder = "contracts"
    /// When the first poll succeeded: violations open then have been open at least this long.
    public var watchingSince: Date?
    /// A problem that is not a connection problem (unreadable contracts folder, query error).
    public var problem: String?

    public init(target: String, interval: Double) {
        self.target = target
        self.interval = interval
    }
}
