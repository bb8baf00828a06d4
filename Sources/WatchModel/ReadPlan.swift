import Catalog
import Foundation

/// Which catalog read a poll needs, decided from cheap probes: the write marks (the WAL position
/// and the transaction snapshot: unchanged means nothing was committed at all), then one
/// fingerprint per contracted relation. Pure, so each case
/// (idle, data-only writes, DDL on a contracted or an uncontracted table, a contract edit, `R`,
/// the full-read cadence, a reconnect) is tested without a server.
public enum ReadPlan {
    /// What earlier polls left to compare with.
    public struct Memory: Sendable, Equatable {
        /// The write marks taken before the last probe of the contracted relations.
        public var writes: WriteMarks?
        /// One fingerprint per contracted relation, and the table names they were taken for.
        public var fingerprints: [QualifiedName: String]?
        public var fingerprintNames: Set<String> = []
        public var hasCatalog = false
        public var lastFullRead: Date?
        /// `CatalogFingerprint.catalogVersion` as of the last full read, and how long the last
        /// probe of it took (it scans the catalogs: about 0.2 s at 50,000 tables).
        public var catalogVersion: String?
        public var catalogVersionSeconds: Double = 0
        /// The write marks when the whole catalog was last known current (a full read, or a
        /// probe that found no DDL): a full read due by cadence waits only while nothing is
        /// committed after them.
        public var writesAtCatalogCheck: WriteMarks?
        /// Set on (re)connect: the next read is a full one.
        public var forceFull = true
        /// `CatalogFingerprint.catalogActivity` as of the last catalog-wide look (a full read or a
        /// `catalogVersion` probe that found no DDL), and when that look was.
        public var activityAtCatalogCheck: String?
        public var lastCatalogProbe: Date?

        public init() {}
    }

    public enum Read: Sendable, Equatable {
        /// Nothing the checks or screens show can have changed.
        case none
        /// The whole catalog.
        case full
        /// Only these relation names (contracted tables whose fingerprint moved).
        case scoped(Set<String>)
    }

    /// Whether this poll reads the whole catalog.
    public enum FullRead: Sendable, Equatable {
        case notDue
        /// `refreshEvery` seconds since the last full read: for the tables no contract names.
        /// Skipped while nothing at all is committed (`WriteMarks`).
        case dueByCadence
        /// `R`, a reconnect, or nothing read yet.
        case forced
    }

    /// Seconds between full reads while data is written: ten polls, at least 30 s, and long
    /// enough that the catalog-wide probe takes at most 0.5 % of the time on a large catalog.
    /// A configured cadence is used as given.
    public static func fullReadCadence(configured: Double?, interval: Double, memory: Memory) -> Double {
        configured ?? max(30, interval * 10, memory.catalogVersionSeconds * 200)
    }

    public static func fullRead(_ memory: Memory, now: Date, requested: Bool, refreshEvery: Double) -> FullRead {
        if requested || memory.forceFull || !memory.hasCatalog { return .forced }
        return memory.lastFullRead.map { now.timeIntervalSince($0) >= refreshEvery } ?? true ? .dueByCadence : .notDue
    }

    /// A full read the cadence asks for is skipped when the catalog-wide version has not moved
    /// since the last full read: only data was written, so the catalog in memory is still current.
    /// A forced read (`R`, a reconnect) always happens; no version (the probe failed) reads.
    public static func gated(_ fullRead: FullRead, memory: Memory, catalogVersion: String?) -> FullRead {
        guard fullRead == .dueByCadence, let catalogVersion, catalogVersion == memory.catalogVersion else {
            return fullRead
        }
        return .notDue
    }

    /// Whether the poll can stop after asking for the write marks: nothing was committed since
    /// the last probe (`WriteMarks.nothingCommitted`: maintenance that moved only the WAL counts as
    /// nothing) and the contracts are the same. A full read due by cadence waits only while
    /// nothing was committed since the catalog was last known current (not merely since the last
    /// poll: DDL followed by quiet must still be read); a forced one never waits.
    public static func stopsAtWrites(
        _ memory: Memory, writes: WriteMarks, contractsSame: Bool, fullRead: FullRead
    ) -> Bool {
        guard fullRead != .forced, contractsSame, memory.fingerprints != nil else { return false }
        if fullRead == .dueByCadence && !writes.nothingCommitted(since: memory.writesAtCatalogCheck) { return false }
        return writes.nothingCommitted(since: memory.writes)
    }

    /// Whether the catalog-wide probe a full read due by cadence waits for (`catalogVersion`:
    /// 0.2–0.6 s at 20–50k tables) can be skipped although transactions were committed: the server's cumulative
    /// statistics count no catalog row inserted, updated or deleted since the last catalog-wide
    /// look (only data was written), and that look is less than ten cadences old. Never without
    /// statistics (`track_counts` off), nor for a cadence under 22 s (twice `statisticsDelay`).
    /// Only this probe is gated so: a session's statistics can reach the server up to 10 s after
    /// its commit (`statisticsDelay`), which the contracted tables' probe, whose changes show
    /// within one poll, cannot wait for.
    public static func skipsCatalogProbe(
        activity: String?, sinceCheck known: String?, checkedAt: Date?, now: Date, refreshEvery: Double
    ) -> Bool {
        // A cadence shorter than twice the statistics' delay would wait on them past itself.
        guard refreshEvery >= 2 * statisticsDelay, let activity, activity == known, let checkedAt else { return false }
        return now.timeIntervalSince(checkedAt) < catalogProbeSafety(refreshEvery: refreshEvery)
    }

    /// PostgreSQL 15 reports a session's statistics at most once a second, and one held back
    /// that way waits for the session's next statement or a 10 s idle timer (PGSTAT_IDLE_INTERVAL
    /// in the server's pgstat.c): a skipped catalog probe is asked again this much later, so DDL
    /// whose statistics came late still shows within one full-read interval (at least 22 s here).
    public static let statisticsDelay = 11.0

    /// The longest a catalog-wide probe is skipped on the statistics' word alone: ten cadences
    /// (statistics that never arrive, after a reset or under lock contention, delay no more).
    public static func catalogProbeSafety(refreshEvery: Double) -> Double { refreshEvery * 10 }

    /// When the last full read counts as having been, after a skipped catalog probe: the next
    /// look comes `statisticsDelay` from now, not a whole cadence later.
    public static func lastFullReadAfterSkip(now: Date, refreshEvery: Double) -> Date {
        now.addingTimeInterval(min(0, statisticsDelay - refreshEvery))
    }

    /// The read, from the contracted relations' fresh fingerprints.
    public static func read(
        _ memory: Memory, fullRead: FullRead, contractsSame: Bool, names: Set<String>,
        fingerprints: [QualifiedName: String]
    ) -> Read {
        if fullRead != .notDue || !memory.hasCatalog { return .full }
        // Other contracts, or other table names: read every contracted table again.
        guard contractsSame, names == memory.fingerprintNames, let known = memory.fingerprints else {
            return .scoped(names)
        }
        let changed = changedNames(known, fingerprints)
        return changed.isEmpty ? .none : .scoped(changed)
    }

    /// Names whose relations changed, appeared or disappeared between two sets of fingerprints.
    public static func changedNames(_ old: [QualifiedName: String], _ new: [QualifiedName: String]) -> Set<String> {
        var changed: Set<String> = []
        for (name, value) in new where old[name] != value { changed.insert(name.name) }
        for name in old.keys where new[name] == nil { changed.insert(name.name) }
        return changed
    }

    /// How the contracts of this poll are found.
    public enum ContractsRead: Sendable, Equatable {
        /// inotify saw nothing since the last poll: the contracts in memory, not even a stat.
        case reuse
        /// Stat every file; parse again only when the signature (names, sizes, times) moved.
        case compareSignature
    }

    /// `inotify`: nil where no inotify watch is active (another platform, too many watches),
    /// else whether it reported a change since the last poll.
    public static func contractsRead(inotifyChanged: Bool?, haveContracts: Bool) -> ContractsRead {
        guard haveContracts, let changed = inotifyChanged else { return .compareSignature }
        return changed ? .compareSignature : .reuse
    }
}
