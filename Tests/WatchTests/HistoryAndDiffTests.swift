import Catalog
import Checks
import Foundation
import Testing
import Watch
import WatchModel

struct CatalogDiffTests {
    func column(
        _ name: String, _ position: Int, _ type: String = "integer", nullable: Bool = true, pk: Int? = nil,
        comment: String? = nil, def: String? = nil
    ) -> CatalogColumn {
        CatalogColumn(
            name: name, position: position, dataType: type, formattedType: type, isNullable: nullable,
            primaryKeyPosition: pk, defaultExpression: def, comment: comment)
    }

    func snapshot(_ relations: [Relation]) -> CatalogSnapshot {
        CatalogSnapshot(database: DatabaseIdentity(name: "d", serverVersion: "15"), relations: relations)
    }

    @Test func tellsRenamesFromDropAndAddAndListsAlterations() {
        let old = snapshot([
            Relation(
                name: QualifiedName(schema: "public", name: "t"), kind: .table,
                columns: [
                    column("id", 1, pk: 1), column("primary_image", 2, "text"),
                    column("additional_images", 3, "text[]"),
                    column("created_at", 4, "timestamp", nullable: false), column("note", 5, "text", comment: "old"),
                ], oid: 10),
            Relation(name: QualifiedName(schema: "public", name: "gone"), kind: .table, columns: [], oid: 11),
            Relation(name: QualifiedName(schema: "public", name: "before"), kind: .table, columns: [], oid: 12),
        ])
        let new = snapshot([
            Relation(
                name: QualifiedName(schema: "public", name: "t"), kind: .table,
                columns: [
                    column("id", 1), column("image", 2, "text"),
                    column("created_at", 4, "timestamp(3)", nullable: true, def: "now()"),
                    column("note", 5, "text", comment: "new"),
                    column("is_primary_image", 6, "boolean"),
                ], oid: 10),
            Relation(name: QualifiedName(schema: "public", name: "after"), kind: .table, columns: [], oid: 12),
            Relation(
                name: QualifiedName(schema: "public", name: "created"), kind: .view, columns: [column("a", 1)],
                oid: 13),
        ])
        let changes = CatalogDiff.changes(from: old, to: new).map { "\($0.kind.rawValue) \($0.location) \($0.values)" }
        #expect(
            changes == [
                "table renamed public.after public.before → public.after",
                "table added public.created view, 1 columns",
                "primary key changed public.t.id PK position 1 → not in PK",
                "column renamed public.t.image primary_image → image",
                "type changed public.t.created_at timestamp → timestamp(3)",
                "nullability changed public.t.created_at not null → null",
                "default changed public.t.created_at none → now()",
                "comment changed public.t.note old → new",
                "column added public.t.is_primary_image boolean",
                "column dropped public.t.additional_images text[]",
                "table dropped public.gone table, 0 columns",
            ])
    }
}

struct ViolationHistoryTests {
    func violation(_ column: String) -> Violation {
        Violation(
            contract: "c", file: "c.json", schema: "public", table: "t", column: column, kind: .columnMissing,
            expected: .present, actual: .absent, severity: .error, breaking: true, message: "m", owner: nil)
    }

    @Test func opensKeepsAndResolvesAndSurvivesARoundTrip() throws {
        var history = ViolationHistory()
        let t0 = Date(timeIntervalSince1970: 1_000)
        let t1 = t0.addingTimeInterval(60)
        let t2 = t0.addingTimeInterval(120)
        let a = violation("a")
        let b = violation("b")
        let opened = history.apply([a], at: t0, appeared: [], causes: [:])
        let openedB = history.apply([a, b], at: t1, appeared: [b.id], causes: [b.id: "column dropped public.t.b"])
        let unchanged = history.apply([a, b], at: t2, appeared: [], causes: [:])
        #expect(opened && openedB)
        #expect(!unchanged, "nothing opened or resolved")
        let recordA = try #require(history.record(for: a.id))
        #expect(recordA.firstSeen == t0 && !recordA.firstSeenExact && recordA.lastSeen == t2)
        let recordB = try #require(history.record(for: b.id))
        #expect(recordB.firstSeen == t1 && recordB.firstSeenExact && recordB.cause == "column dropped public.t.b")

        let parsed = try #require(ViolationHistory.parse(history.json(database: "d")))
        #expect(parsed == history)

        let t3 = t2.addingTimeInterval(60)
        let resolved = history.apply([a], at: t3, appeared: [], causes: [:])
        #expect(resolved)
        #expect(history.record(for: b.id)?.resolvedAt == t3)
        #expect(history.resolved.map(\.key) == [b.id.identity])
        // Reopened later: a new life with a new first-seen time.
        let t4 = t3.addingTimeInterval(60)
        history.apply([a, b], at: t4, appeared: [b.id], causes: [:])
        #expect(history.record(for: b.id)?.firstSeen == t4 && history.record(for: b.id)?.isOpen == true)
    }
}

struct EventLogTests {
    @Test func twoWritersAppendAndNoControlBytesReachTheFile() throws {
        let path = NSTemporaryDirectory() + "cw-log-" + UUID().uuidString + "/contractwatch.log"
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let first = EventLog(path: path)
        let second = EventLog(path: path)
        for index in 0..<50 {
            first.write("first \(index) table \u{1B}]52;c;eA==\u{07}")
            second.write("second \(index)\nforged line")
        }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 100, "both writers' lines are all there, one per line")
        #expect(
            lines.filter { $0.contains(" first ") }.count == 50 && lines.filter { $0.contains(" second ") }.count == 50)
        #expect(!text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
        #expect(text.contains("\\x1B]52;c;eA==\\x07") && text.contains("second 0\\nforged line"))
    }
}

/// "When did this violation open" has one record, the history; what the screens ask is derived.
struct ViolationLifecycleTests {
    func violation(_ column: String) -> Violation {
        Violation(
            contract: "c", file: "c.json", schema: "public", table: "t", column: column, kind: .columnMissing,
            expected: .present, actual: .absent, severity: .error, breaking: true, message: "", owner: nil)
    }

    @Test func appearedWhileWatchingIsDerivedFromTheHistory() {
        let t0 = Date(timeIntervalSince1970: 1_790_000_000)
        let old = violation("old")
        let earlier = violation("earlier")
        let fresh = violation("fresh")
        var status = WatchStatus(target: "t", interval: 2)
        // A previous session saw `earlier` open exactly; this session started at t0 with `old` open.
        status.history.apply([earlier], at: t0.addingTimeInterval(-600), appeared: [earlier.id], causes: [:])
        status.watchingSince = t0
        status.history.apply([old, earlier], at: t0, appeared: [], causes: [:])
        status.history.apply([old, earlier, fresh], at: t0.addingTimeInterval(10), appeared: [fresh.id], causes: [:])
        status.lastPollAt = t0.addingTimeInterval(10)
        #expect(status.appearedWhileWatching(fresh.id) == t0.addingTimeInterval(10))
        #expect(status.appearedWhileWatching(old.id) == nil, "already open at the first poll")
        #expect(status.appearedWhileWatching(earlier.id) == nil, "opened in an earlier session")
        #expect(status.isRecent(fresh.id) && !status.isRecent(old.id))
        #expect(status.openSince(earlier.id) == t0.addingTimeInterval(-600))
        #expect(status.openFor(old.id)?.exact == false && status.openFor(fresh.id)?.exact == true)
        // Resolved: no longer open, no longer news.
        status.history.apply([old, earlier], at: t0.addingTimeInterval(20), appeared: [], causes: [:])
        #expect(status.appearedWhileWatching(fresh.id) == nil && status.openSince(fresh.id) == nil)
    }
}

struct HistoryFileTests {
    @Test func version1FilesReadAndNewerOnesAreLeftAlone() throws {
        // As written by earlier versions of contractwatch.
        let v1 = """
            {"version": 1, "database": "d", "violations": [
              {"key": "c.json|b|column_missing", "contract": "c", "file": "c.json", "schema": "public", "table": "t",
                  "column": "b",
               "kind": "column_missing", "first_seen": 1790000000000, "first_seen_exact": true, "last_seen":
                   1790000060500,
               "resolved_at": null, "cause": "column dropped public.t.b"}]}
            """
        let history = try #require(ViolationHistory.parse(v1))
        let record = try #require(history.records.values.first)
        #expect(history.records.count == 1 && record.key == #"["c","public","t","b","column_missing"]"#)
        #expect(
            record.firstSeen == Date(timeIntervalSince1970: 1_790_000_000) && record.firstSeenExact && record.isOpen)
        #expect(
            record.lastSeen == Date(timeIntervalSince1970: 1_790_000_060.5)
                && record.cause == "column dropped public.t.b")
        // Written back, it reads the same.
        #expect(ViolationHistory.parse(history.json(database: "d")) == history)
        #expect(history.json(database: "d").contains("\"version\":2"))
        // A newer format, or damage, is not read (and the store then does not overwrite it).
        #expect(ViolationHistory.parse(v1.replacingOccurrences(of: "\"version\": 1", with: "\"version\": 3")) == nil)
        #expect(ViolationHistory.parse("{\"version\": 1, \"violations\": [{\"key\": 5}]}") == nil)
    }

    @Test func version1RecordsOfOneFindingUnderTwoPathsBecomeOneRecord() throws {
        // Version 1 keyed by path: the folder watched as "contracts" and later as "./contracts"
        // left one resolved and one open record of the same finding.
        let v1 = """
            {"version": 1, "database": "d", "violations": [
              {"key": "contracts/c.json|b|column_missing", "contract": "c", "file": "contracts/c.json", "schema":
                  "public", "table": "t",
               "column": "b", "kind": "column_missing", "first_seen": 1790000000000, "first_seen_exact": true,
               "last_seen": 1790000060000, "resolved_at": 1790000060000},
              {"key": "./contracts/c.json|b|column_missing", "contract": "c", "file": "./contracts/c.json", "schema":
                  "public",
               "table": "t", "column": "b", "kind": "column_missing", "first_seen": 1790000060000,
                   "first_seen_exact": false,
               "last_seen": 1790000120000, "resolved_at": null}]}
            """
        let history = try #require(ViolationHistory.parse(v1))
        #expect(history.records.count == 1)
        let record = try #require(history.records.values.first)
        #expect(record.isOpen && record.file == "./contracts/c.json" && history.resolved.isEmpty)
        #expect(
            record.firstSeen == Date(timeIntervalSince1970: 1_790_000_000) && record.firstSeenExact,
            "the earliest sighting is kept")
    }
}
