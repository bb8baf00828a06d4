import Catalog
import Checks
import Foundation
import Preview
import Testing
import WatchModel

/// One preview run split over the pending files, what changed since the last save, and which
/// file made a live catalog change.
struct MigrationsStatusTests {
    func violation(_ column: String) -> Violation {
        Violation(
            contract: "c", file: "c.json", schema: "public", table: "t", column: column, kind: .columnMissing,
            expected: .present, actual: .absent, severity: .error, breaking: true, message: "", owner: nil)
    }

    let script = MigrationScript(files: [
        ("V1__a.sql", "SET lock_timeout = '1s';\nALTER TABLE t DROP COLUMN a;", 0),
        ("V2__b.sql", "ALTER TABLE t DROP COLUMN b;", 0),
    ])

    func run(_ introduced: [Violation], by: [ViolationID: Int], previous: MigrationsStatus?) -> MigrationsStatus {
        var status = MigrationsStatus(folder: "db")
        status.runCount = (previous?.runCount ?? 0) + 1
        let t = QualifiedName(schema: "public", name: "t")
        let hazards = by.values.map { Hazard(code: .destructive, statement: $0, line: 1, relation: t, detail: "drops") }
            .map { script.locate($0) }
        let effects = script.statements.indices.map { index in
            StatementEffect(
                statement: index + 1, line: script.statements[index].line, text: "",
                locks: index == 0
                    ? []
                    : [(QualifiedName(schema: "public", name: "t"), HeldLock(oid: 1, mode: "AccessExclusiveLock"))],
                rewritten: [],
                scanned: [], dropped: [])
        }
        status.attribute(
            statements: script.statements, versions: ["V1__a.sql": "1", "V2__b.sql": "2"], introduced: introduced,
            introducedBy: by, hazards: hazards, suppressed: [], effects: effects, previous: previous)
        return status
    }

    @Test func findingsGoToTheirFileAndChangesSinceTheLastRunAreMarked() throws {
        let a = violation("a")
        let b = violation("b")
        let first = run([a], by: [a.id: 2], previous: nil)
        #expect(first.files.map(\.name) == ["V1__a.sql", "V2__b.sql"])
        #expect(first.files[0].introduced.map(\.id) == [a.id] && first.files[1].introduced.isEmpty)
        #expect(first.files[0].cause(of: a.id)?.location == "V1__a.sql:2")
        #expect(first.files[1].firstStatement == 3 && first.files[1].statement(3)?.location == "V2__b.sql:1")
        #expect(!first.files[0].changedSinceLastRun, "the first run marks nothing")

        // V2 now breaks b too; V1 is as it was.
        let second = run([a, b], by: [a.id: 2, b.id: 3], previous: first)
        #expect(!second.files[0].changedSinceLastRun)
        #expect(second.files[1].changedSinceLastRun)
        #expect(
            second.files[1].newSinceLastRun == [
                MigrationsStatus.key(b.id), MigrationsStatus.key(second.files[1].hazards[0]),
            ])
        // And then it no longer does.
        let third = run([a], by: [a.id: 2], previous: second)
        #expect(third.files[1].goneSinceLastRun == 2 && third.files[1].newSinceLastRun.isEmpty)

        // A live change that opened b is V2's; one that opened nothing predicted is nobody's.
        let t = QualifiedName(schema: "public", name: "t")
        let dropped = ChangeEvent(
            at: Date(), change: CatalogChange(kind: .columnDropped, table: t, column: "b"), opened: [b.id])
        #expect(second.file(causing: dropped) == "V2__b.sql")
        // One that opened nothing is the first file whose statements locked its table.
        #expect(
            second.file(causing: ChangeEvent(at: Date(), change: CatalogChange(kind: .columnAdded, table: t)))
                == "V1__a.sql")
        let elsewhere = QualifiedName(schema: "public", name: "other")
        #expect(
            second.file(causing: ChangeEvent(at: Date(), change: CatalogChange(kind: .columnAdded, table: elsewhere)))
                == nil)
    }
}
