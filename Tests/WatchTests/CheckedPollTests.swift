import Catalog
import Checks
import Contracts
import Foundation
import Testing
import WatchModel

/// The violation lifecycle as the checker records it: polls in, status out, no server and no
/// sleep. Each test drives `WatchStatus.effects(of:)` / `record` as the driver does.
struct CheckedPollTests {
    let t0 = Date(timeIntervalSince1970: 1_790_000_000)
    let server = ServerInfo(database: "d", user: "u", host: "/tmp", port: "5432", serverVersion: "15.18")

    func column(_ name: String, _ position: Int, nullable: Bool = true) -> CatalogColumn {
        CatalogColumn(name: name, position: position, dataType: "text", formattedType: "text", isNullable: nullable)
    }

    func catalog(_ columns: [CatalogColumn], oid: Int = 10) -> CatalogSnapshot {
        CatalogSnapshot(
            database: DatabaseIdentity(name: "d", serverVersion: "15"),
            relations: [
                Relation(name: QualifiedName(schema: "public", name: "t"), kind: .table, columns: columns, oid: oid)
            ])
    }

    /// One contract on public.t promising columns a and b (b NOT NULL), read from `file`.
    func contracts(file: String = "contracts/t.json") -> ContractSet {
        let contract = Contract(
            name: "t-contract", file: file, owner: Owner(name: "Team", email: "team@example.com"),
            table: ContractTable(catalog: nil, schema: "public", name: "t"),
            columns: [
                ContractColumn(name: "a", expectation: ColumnExpectation(dataType: "text")),
                ContractColumn(name: "b", expectation: ColumnExpectation(dataType: "text", isNullable: false)),
            ])
        return ContractSet(contracts: [contract], errors: [], fileCount: 1)
    }

    func poll(_ snapshot: CatalogSnapshot, at seconds: Double, contracts: ContractSet? = nil, kind: PollKind = .full)
        -> CheckedPoll
    {
        let contracts = contracts ?? self.contracts()
        return CheckedPoll(
            contracts: contracts, snapshot: snapshot, result: Checker.check(contracts, against: snapshot), kind: kind,
            scope: nil, server: server, problem: nil, startedAt: t0.addingTimeInterval(seconds - 0.01),
            finishedAt: t0.addingTimeInterval(seconds))
    }

    @discardableResult
    func record(_ poll: CheckedPoll, into status: inout WatchStatus) -> PollEffects {
        let effects = status.effects(of: poll)
        status.record(poll, effects)
        return effects
    }

    let healthy: [CatalogColumn] = [
        CatalogColumn(name: "a", position: 1, dataType: "text", formattedType: "text", isNullable: true),
        CatalogColumn(name: "b", position: 2, dataType: "text", formattedType: "text", isNullable: false),
    ]

    @Test func aDDLWhileWatchingOpensAViolationWithItsCauseAndAFixResolvesIt() throws {
        var status = WatchStatus(target: "t", interval: 2)
        let first = record(poll(catalog(healthy), at: 0), into: &status)
        #expect(first.changes.isEmpty && first.newViolations.isEmpty && status.watchingSince == t0)

        // ALTER TABLE t ALTER b DROP NOT NULL, seen by the next poll.
        let loosened = catalog([column("a", 1), column("b", 2, nullable: true)])
        let second = record(poll(loosened, at: 2), into: &status)
        let id = try #require(status.result?.violations.first?.id)
        #expect(id.kind == .isNullable && second.newViolations == [id] && second.historyChanged)
        #expect(second.changes.map(\.change.kind) == [.nullabilityChanged] && second.changes.first?.opened == [id])
        #expect(status.cause(id) == "nullability changed public.t.b (not null → null)")
        #expect(status.appearedWhileWatching(id) == t0.addingTimeInterval(2) && status.isRecent(id))

        // Nothing changed: the open violation is seen again; nothing is news.
        status.recordUnchanged(
            startedAt: t0.addingTimeInterval(3.99), finishedAt: t0.addingTimeInterval(4), problem: nil)
        #expect(status.history.record(for: id)?.lastSeen == t0.addingTimeInterval(4) && status.newViolations.isEmpty)
        #expect(status.lastPollKind == .unchanged && status.pollCount == 3)

        // The fix closes it: the change lists it as closed, the history as resolved, no cause kept.
        let third = record(poll(catalog(healthy), at: 6), into: &status)
        #expect(third.changes.first?.closed == [id] && third.historyChanged)
        #expect(status.history.record(for: id)?.resolvedAt == t0.addingTimeInterval(6) && status.causes.isEmpty)
        #expect(status.changes.count == 2, "newest first, both kept")
        #expect(status.changes.first?.change.kind == .nullabilityChanged && status.changes.first?.closed == [id])
    }

    @Test func violationsOpenAtTheFirstPollAreNotNewsAndHaveNoExactStart() throws {
        var status = WatchStatus(target: "t", interval: 2)
        let effects = record(poll(catalog([column("a", 1)]), at: 0), into: &status)
        let id = try #require(status.result?.violations.first?.id)
        #expect(id.kind == .columnMissing && effects.newViolations.isEmpty && effects.changes.isEmpty)
        #expect(status.history.record(for: id)?.firstSeenExact == false && status.appearedWhileWatching(id) == nil)
    }

    @Test func aRestartKeepsWhenAViolationOpenedAndTheSamePathSpelledAgainIsTheSameFinding() throws {
        // An earlier session saw the violation open at t0 - 1 h, reading the folder as "contracts".
        var earlier = WatchStatus(target: "t", interval: 2)
        record(poll(catalog(healthy), at: -3_600.5), into: &earlier)
        record(poll(catalog([column("a", 1)]), at: -3_600), into: &earlier)
        let saved = earlier.history.json(database: "d")

        // This session reads the same folder as "./contracts/": same finding, same record.
        var status = WatchStatus(target: "t", interval: 2)
        status.restore(try #require(ViolationHistory.parse(saved)))
        let other = contracts(file: "./contracts//t.json")
        let effects = record(poll(catalog([column("a", 1)]), at: 0, contracts: other), into: &status)
        let id = try #require(status.result?.violations.first?.id)
        #expect(!effects.historyChanged, "the finding was already open: nothing opened or resolved")
        #expect(status.history.records.count == 1 && status.history.resolved.isEmpty)
        #expect(status.openSince(id) == t0.addingTimeInterval(-3_600) && status.openFor(id)?.exact == true)
        #expect(status.appearedWhileWatching(id) == nil, "opened in an earlier session: not news now")
    }

    @Test func aScopedPollComparesOnlyWhatItReread() throws {
        var status = WatchStatus(target: "t", interval: 2)
        let other = Relation(
            name: QualifiedName(schema: "public", name: "other"), kind: .table, columns: [column("x", 1)], oid: 11)
        let full = CatalogSnapshot(database: catalog(healthy).database, relations: catalog(healthy).relations + [other])
        record(poll(full, at: 0), into: &status)
        // Only t was re-read; `other` in the merged snapshot is the old one, and is not diffed.
        let scoped = catalog([column("a", 1), column("b", 2), column("c", 3)])
        let merged = full.merging(scoped, names: ["t"])
        #expect(Set(merged.relations.map(\.name.name)) == ["t", "other"] && merged.relations.count == 2)
        var reread = poll(merged, at: 2, kind: .scoped)
        reread.scope = ["t"]
        let effects = record(reread, into: &status)
        #expect(effects.changes.map(\.change.kind).contains(.columnAdded))
        #expect(effects.changes.allSatisfy { $0.change.table.name == "t" })
        #expect(status.lastPollKind == .scoped)
    }

    /// A scoped read folded into the catalog gives the catalog a full read would have given,
    /// whether the relations are replaced where they stand (same names, same oids) or the
    /// catalog is rebuilt (a table created, dropped, recreated or renamed); lookups still work.
    @Test func foldingAScopedReadGivesWhatAFullReadWould() {
        func relation(_ schema: String, _ name: String, oid: Int, columns: Int = 1) -> Relation {
            Relation(
                name: QualifiedName(schema: schema, name: name), kind: .table,
                columns: (1...columns).map { column("c\($0)", $0) }, oid: oid)
        }
        let database = DatabaseIdentity(name: "db", serverVersion: "15")
        let base = [
            relation("public", "a", oid: 1), relation("public", "b", oid: 2), relation("sales", "b", oid: 3),
            relation("public", "B", oid: 5), relation("public", "c", oid: 4),
        ]
        let full = CatalogSnapshot(database: database, relations: base)
        let cases: [(String, Set<String>, [Relation], [Relation])] = [
            (
                "a column added to both b (in place)", ["b"],
                [relation("public", "b", oid: 2, columns: 2), relation("sales", "b", oid: 3, columns: 3)],
                [
                    base[0], relation("public", "b", oid: 2, columns: 2), relation("sales", "b", oid: 3, columns: 3),
                    base[3], base[4],
                ]
            ),
            ("c dropped", ["c"], [], Array(base.prefix(4))),
            ("e created", ["e"], [relation("public", "e", oid: 6)], base + [relation("public", "e", oid: 6)]),
            (
                "a recreated", ["a"], [relation("public", "a", oid: 9)],
                [relation("public", "a", oid: 9)] + base.dropFirst()
            ),
            (
                "c renamed to d", ["d"], [relation("public", "d", oid: 4)],
                Array(base.prefix(4)) + [relation("public", "d", oid: 4)]
            ),
        ]
        for (label, names, fresh, expected) in cases {
            let merged = full.merging(CatalogSnapshot(database: database, relations: fresh), names: names)
            let rebuilt = CatalogSnapshot(database: database, relations: expected)
            #expect(merged.relations == rebuilt.relations, "\(label)")
            for relation in expected {
                #expect(merged.relation(relation.name) == relation, "\(label): \(relation.name)")
            }
            #expect(
                merged.relations(namedLike: "b").map(\.name) == rebuilt.relations(namedLike: "b").map(\.name),
                "\(label)")
            #expect(merged.relations(named: ["b"]).map(\.name.schema) == ["public", "sales"], "\(label)")
        }
    }

    @Test func theLoopsPauseIntervalAndFailuresReachTheStatus() {
        var loop = PollLoop(interval: 2)
        var status = WatchStatus(target: "t", interval: 2)
        _ = loop.handle(.pause)
        status.follow(loop, after: .pause, now: t0)
        #expect(status.paused)
        _ = loop.handle(.setInterval(5))
        status.follow(loop, after: .setInterval(5), now: t0)
        #expect(status.interval == 5)
        _ = loop.handle(.tick)
        _ = loop.handle(.failed(reason: "server closed the connection"))
        status.follow(loop, after: .failed(reason: "server closed the connection"), now: t0)
        #expect(
            status.state
                == .retrying(attempt: 1, retryAt: t0.addingTimeInterval(1), reason: "server closed the connection"))
        _ = loop.handle(.blocked(reason: "blocked by pid 7"))
        status.follow(loop, after: .blocked(reason: "blocked by pid 7"), now: t0)
        #expect(status.state == .blocked(reason: "blocked by pid 7"))
        // The server is back: the next checked poll says connected.
        record(poll(catalog(healthy), at: 1), into: &status)
        #expect(status.state == .connected)
    }

    @Test func eachChangeOwnsExactlyTheViolationsOfItsColumn() throws {
        var status = WatchStatus(target: "t", interval: 2)
        record(poll(catalog(healthy), at: 0), into: &status)
        // One poll sees two changes on one table: a dropped (opens column_missing a) and b
        // renamed to c (opens column_missing b). Each change names only its own violation.
        let effects = record(poll(catalog([column("c", 2, nullable: false)]), at: 2), into: &status)
        let byKind = Dictionary(effects.changes.map { ($0.change.kind, $0) }, uniquingKeysWith: { a, _ in a })
        let dropped = try #require(byKind[.columnDropped])
        let renamed = try #require(byKind[.columnRenamed])
        #expect(dropped.opened.map(\.column) == ["a"], "\(effects.changes.map { "\($0.change)" })")
        #expect(renamed.opened.map(\.column) == ["b"], "\(renamed.opened)")
        #expect(status.cause(try #require(renamed.opened.first)) == "column renamed public.t.c (b → c)")
    }
}
