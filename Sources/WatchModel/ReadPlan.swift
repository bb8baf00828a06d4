import Catalog
import Foundation

/// Which catalog read a poll needs, decided from cheap probes: the WAL position (unchanged means
/// nothing was written at all), then one fingerprint per contracted relation. Pure, so each case
/// (idle, data-only writes, DDL on a contracted or an uncontracted table, a contract edit, `R`,
/// the full-read cadence, a reconnect) is tested without a server.
public enum ReadPlan {
    /// What earlier polls left to compare with.
    public struct Memory: Sendable, Equatable {
        public var walPosition: String?
        /// One fingerprint per contracted relation, and the table names they were taken for.
        public var fingerprints: [QualifiedName: String]?
        public var fingerprintNames: Set<String> = []
        public var hasCatalog = false
        public var lastFullRead: Date?
        /// Set on (re)connect: the next read is a full one.
        public var forceFull = true

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
        /// Skipped while nothing at all is written (the WAL position stands still).
        case dueByCadence
        /// `R`, a reconnect, or nothing read yet.
        case forced
    }

    public static func fullRead(_ memory: Memory, now: Date, requested: Bool, refreshEvery: Double) -> FullRead {
        if requested || memory.forceFull || !memory.hasCatalog { return .forced }
        return memory.lastFullRead.map { now.timeIntervalSince($0) >= refreshEvery } ?? true ? .dueByCadence : .notDue
    }

    /// Whether the poll can stop after asking for the WAL position: nothing at all was written
    /// since the last poll and the contracts are the same; a full read then waits for a write,
    /// unless it is forced.
    public static func stopsAtWAL(_ memory: Memory, wal: String?, contractsSame: Bool, fullRead: FullRead) -> Bool {
        guard fullRead != .forced, contractsSame, let wal, memory.fingerprints != nil else { return false }
        return wal == memory.walPosition
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
