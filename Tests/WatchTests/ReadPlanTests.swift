import Catalog
import Foundation
import Testing
import WatchModel

/// The poll's read decisions, without a server or a sleep.
struct ReadPlanTests {
    let t = QualifiedName(schema: "public", name: "t")
    let u = QualifiedName(schema: "public", name: "u")
    let start = Date(timeIntervalSince1970: 1_790_000_000)

    /// The write marks as of the last probe: WAL 0/10, transaction snapshot `100:100:`.
    let marks = WriteMarks(wal: "0/10", transactions: "100:100:")

    /// After one full read at `start`, with fingerprints for t and u at `marks`.
    var settled: ReadPlan.Memory {
        var memory = ReadPlan.Memory()
        memory.writes = marks
        memory.fingerprints = [t: "a", u: "b"]
        memory.fingerprintNames = ["t", "u"]
        memory.hasCatalog = true
        memory.lastFullRead = start
        memory.writesAtCatalogCheck = marks
        memory.forceFull = false
        return memory
    }

    /// The read a poll makes, nil when it stops at the write marks. Without `transactions` the
    /// snapshot is unknown and the WAL position alone decides.
    func plan(
        _ memory: ReadPlan.Memory, wal: String?, transactions: String? = nil, fingerprints: [QualifiedName: String],
        contractsSame: Bool = true, names: Set<String> = ["t", "u"], after seconds: Double = 2,
        requested: Bool = false
    ) -> ReadPlan.Read? {
        let fullRead = ReadPlan.fullRead(
            memory, now: start.addingTimeInterval(seconds), requested: requested, refreshEvery: 30)
        let writes = WriteMarks(wal: wal, transactions: transactions)
        if ReadPlan.stopsAtWrites(memory, writes: writes, contractsSame: contractsSame, fullRead: fullRead) {
            return nil
        }
        return ReadPlan.read(
            memory, fullRead: fullRead, contractsSame: contractsSame, names: names, fingerprints: fingerprints)
    }

    /// Data written somewhere (the WAL moved) but no catalog row counted since the last
    /// catalog-wide look: the probe waits, asked again soon, never past its safety interval,
    /// never without statistics.
    @Test func catalogStatisticsLetTheCatalogProbeWaitWhileOnlyDataIsWritten() {
        let checked = start
        func skips(_ activity: String?, known: String? = "7 3 0", after seconds: Double, every: Double = 30) -> Bool {
            ReadPlan.skipsCatalogProbe(
                activity: activity, sinceCheck: known, checkedAt: checked, now: checked.addingTimeInterval(seconds),
                refreshEvery: every)
        }
        #expect(skips("7 3 0", after: 30), "only data written")
        #expect(!skips("8 3 0", after: 30), "a DDL counted: probe")
        #expect(!skips("7 3 0", after: 301), "ten cadences: probe whatever the statistics say")
        #expect(!skips(nil, known: nil, after: 30), "no statistics (track_counts off): always probe")
        #expect(!skips("7 3 0", known: nil, after: 30), "nothing known yet: probe")
        #expect(!skips("7 3 0", after: 5, every: 5), "a 5 s cadence cannot wait for statistics up to 10 s late")
        // Skipped at 30 s: due again 11 s later (statistics can come 10 s late), not at 60 s.
        let now = start.addingTimeInterval(30)
        let counted = ReadPlan.lastFullReadAfterSkip(now: now, refreshEvery: 30)
        var memory = settled
        memory.lastFullRead = counted
        #expect(
            ReadPlan.fullRead(memory, now: now.addingTimeInterval(10), requested: false, refreshEvery: 30) == .notDue)
        #expect(
            ReadPlan.fullRead(memory, now: now.addingTimeInterval(11), requested: false, refreshEvery: 30)
                == .dueByCadence)
    }

    @Test func aFreshSessionReadsEverything() {
        #expect(plan(ReadPlan.Memory(), wal: "0/1", fingerprints: [t: "a"]) == .full)
    }

    @Test func idleStopsAtTheWALPosition() {
        #expect(
            plan(settled, wal: "0/10", fingerprints: [t: "a", u: "b"]) == nil, "nil: stopped before any fingerprint")
    }

    /// VACUUM, a checkpoint, autovacuum, page pruning: the WAL moves but no transaction that
    /// wrote has ended, so no probe could answer differently; the poll stops at the marks. Any
    /// transaction that wrote and ended moves the snapshot: the probes decide.
    @Test func maintenanceThatCommitsNothingStopsAtTheMarks() {
        #expect(plan(settled, wal: "0/20", transactions: "100:100:", fingerprints: [t: "x", u: "b"]) == nil)
        #expect(
            plan(settled, wal: "0/20", transactions: "100:101:", fingerprints: [t: "x", u: "b"]) == .scoped(["t"]),
            "a transaction committed past the old xmax")
        var memory = settled
        memory.writes = WriteMarks(wal: "0/10", transactions: "100:105:100,103")
        #expect(
            plan(memory, wal: "0/20", transactions: "100:105:100", fingerprints: [t: "x", u: "b"]) == .scoped(["t"]),
            "103 was in progress at the last probe and has ended since")
        #expect(plan(memory, wal: "0/20", transactions: "100:105:100,103", fingerprints: [t: "x", u: "b"]) == nil)
        // A standby: the position it replayed to, no snapshot. Replayed further: probe.
        memory.writes = WriteMarks(wal: "0/10", transactions: nil)
        #expect(plan(memory, wal: "0/10", fingerprints: [t: "x", u: "b"]) == nil)
        #expect(plan(memory, wal: "0/20", fingerprints: [t: "x", u: "b"]) == .scoped(["t"]))
        // A snapshot without a WAL position is not trusted alone; the probes decide.
        memory.writes = WriteMarks(wal: nil, transactions: "100:100:")
        #expect(plan(memory, wal: nil, transactions: "100:100:", fingerprints: [t: "x", u: "b"]) == .scoped(["t"]))
        // A full read due by cadence compares with the marks of the last catalog check, not of
        // the last poll: DDL elsewhere committed before the last poll is still read.
        memory = settled
        memory.writes = WriteMarks(wal: "0/20", transactions: "101:101:")
        #expect(plan(memory, wal: "0/30", transactions: "101:101:", fingerprints: [t: "a", u: "b"], after: 10) == nil)
        #expect(
            plan(memory, wal: "0/30", transactions: "101:101:", fingerprints: [t: "a", u: "b"], after: 30) == .full)
        memory.writesAtCatalogCheck = memory.writes
        #expect(plan(memory, wal: "0/30", transactions: "101:101:", fingerprints: [t: "a", u: "b"], after: 30) == nil)
    }

    @Test func dataOnlyWritesReadNothing() {
        #expect(plan(settled, wal: "0/20", fingerprints: [t: "a", u: "b"]) == ReadPlan.Read.none)
    }

    @Test func aDDLOnAContractedTableReadsOnlyThatTable() {
        #expect(plan(settled, wal: "0/20", fingerprints: [t: "changed", u: "b"]) == .scoped(["t"]))
        #expect(plan(settled, wal: "0/20", fingerprints: [u: "b"]) == .scoped(["t"]), "dropped")
        let other = QualifiedName(schema: "archive", name: "t")
        #expect(
            plan(settled, wal: "0/20", fingerprints: [t: "a", u: "b", other: "c"]) == .scoped(["t"]),
            "same name in another schema")
    }

    @Test func aDDLOnAnUncontractedTableReadsNothing() {
        // Its rows are not in the contracted fingerprints: they stay the same.
        #expect(plan(settled, wal: "0/30", fingerprints: [t: "a", u: "b"]) == ReadPlan.Read.none)
    }

    @Test func aContractEditReadsEveryContractedTable() {
        #expect(
            plan(settled, wal: "0/10", fingerprints: [t: "a", u: "b"], contractsSame: false) == .scoped(["t", "u"]))
        #expect(
            plan(settled, wal: "0/10", fingerprints: [t: "a"], contractsSame: false, names: ["t", "v"])
                == .scoped(["t", "v"]), "a new table name")
    }

    @Test func pressingRAndTheCadenceReadTheWholeCatalog() {
        #expect(plan(settled, wal: "0/10", fingerprints: [t: "a", u: "b"], requested: true) == .full)
        #expect(plan(settled, wal: "0/11", fingerprints: [t: "a", u: "b"], after: 29) == ReadPlan.Read.none)
        #expect(plan(settled, wal: "0/11", fingerprints: [t: "a", u: "b"], after: 30) == .full)
    }

    @Test func anIdleDatabaseIsNeverReadWholeAgain() {
        // The cadence is for tables no contract names; if nothing at all was written, nothing
        // changed there either: the poll still stops at the WAL position, however long it has been.
        #expect(plan(settled, wal: "0/10", fingerprints: [t: "a", u: "b"], after: 30) == nil)
        #expect(plan(settled, wal: "0/10", fingerprints: [t: "a", u: "b"], after: 86_400) == nil)
        // Without a WAL position (not allowed to ask), the cadence still applies.
        #expect(plan(settled, wal: nil, fingerprints: [t: "a", u: "b"], after: 30) == .full)
    }

    @Test func theCadenceWaitsForDDLSomewhereInTheCatalog() {
        var memory = settled
        memory.catalogVersion = "v1"
        let due = ReadPlan.fullRead(memory, now: start.addingTimeInterval(30), requested: false, refreshEvery: 30)
        #expect(due == .dueByCadence)
        // Data writes only: the version stands still, the catalog in memory is current.
        #expect(ReadPlan.gated(due, memory: memory, catalogVersion: "v1") == .notDue)
        // DDL anywhere (a table no contract names): the full read happens.
        #expect(ReadPlan.gated(due, memory: memory, catalogVersion: "v2") == .dueByCadence)
        // The probe failed: read rather than miss a change.
        #expect(ReadPlan.gated(due, memory: memory, catalogVersion: nil) == .dueByCadence)
        // `R` and a reconnect never wait for it; a poll that is not due stays not due.
        #expect(ReadPlan.gated(.forced, memory: memory, catalogVersion: "v1") == .forced)
        #expect(ReadPlan.gated(.notDue, memory: memory, catalogVersion: "v2") == .notDue)
        // No version recorded yet (the first full read of a session): read.
        #expect(ReadPlan.gated(due, memory: settled, catalogVersion: "v1") == .dueByCadence)
    }

    @Test func theCadenceStretchesSoTheProbeCostsAtMostAHalfPercent() {
        var memory = settled
        #expect(ReadPlan.fullReadCadence(configured: nil, interval: 2, memory: memory) == 30)
        #expect(ReadPlan.fullReadCadence(configured: nil, interval: 5, memory: memory) == 50)
        memory.catalogVersionSeconds = 0.25
        #expect(ReadPlan.fullReadCadence(configured: nil, interval: 2, memory: memory) == 50)
        #expect(ReadPlan.fullReadCadence(configured: 1, interval: 2, memory: memory) == 1, "as configured")
    }

    @Test func ddlFollowedByQuietIsStillReadAtTheCadence() {
        // A DDL on a table no contract names moved the WAL to 0/20; the poll after it saw the
        // contracted fingerprints unchanged and remembered 0/20. Nothing was written since.
        var memory = settled
        memory.writes = WriteMarks(wal: "0/20", transactions: "101:101:")
        #expect(plan(memory, wal: "0/20", fingerprints: [t: "a", u: "b"], after: 10) == nil, "not due: stop")
        #expect(plan(memory, wal: "0/20", fingerprints: [t: "a", u: "b"], after: 30) == .full, "due: read it")
        // Once the catalog is known current at 0/20, quiet stops at the WAL again.
        memory.writesAtCatalogCheck = memory.writes
        #expect(plan(memory, wal: "0/20", fingerprints: [t: "a", u: "b"], after: 30) == nil)
    }

    @Test func aReconnectReadsEverythingOnce() {
        var memory = settled
        memory.writes = nil
        memory.fingerprints = nil
        memory.forceFull = true
        #expect(plan(memory, wal: "0/10", fingerprints: [t: "a", u: "b"]) == .full)
    }

    @Test func withoutAWALPositionTheFingerprintsDecide() {
        // A role that may not ask for the WAL position, or a server without the function.
        #expect(plan(settled, wal: nil, fingerprints: [t: "a", u: "b"]) == ReadPlan.Read.none)
        #expect(plan(settled, wal: nil, fingerprints: [t: "x", u: "b"]) == .scoped(["t"]))
    }

    @Test func contractsAreReusedOnlyWhileInotifySaysNothingChanged() {
        #expect(ReadPlan.contractsRead(inotifyChanged: false, haveContracts: true) == .reuse)
        #expect(ReadPlan.contractsRead(inotifyChanged: true, haveContracts: true) == .compareSignature)
        #expect(
            ReadPlan.contractsRead(inotifyChanged: nil, haveContracts: true) == .compareSignature,
            "no inotify: stat every poll")
        #expect(
            ReadPlan.contractsRead(inotifyChanged: false, haveContracts: false) == .compareSignature, "nothing read yet"
        )
    }
}
