import Catalog
import Preview
import Testing

/// `-- contractwatch:ignore CODE reason` attaches to the statement the scanner says it belongs
/// to (never to text inside a string), and `ignore-file` to the whole script.
struct SuppressionTests {
    static let script = MigrationScript(
        """
        -- contractwatch:ignore-file CW104 the deploy tool sets lock_timeout
        ALTER TABLE t ALTER COLUMN a TYPE bigint; -- contractwatch:ignore CW101 t has ten rows
        -- contractwatch:ignore CW103,CW107 built at night
        CREATE INDEX ON t (b);
        CREATE INDEX ON t (c);
        COMMENT ON TABLE t IS '-- contractwatch:ignore CW105 not a comment';
        DROP TABLE u;
        ALTER TABLE t
          -- contractwatch:ignore CW106 CW105
          RENAME COLUMN d TO e;
        -- contractwatch:ignroe CW102 a typo suppresses nothing
        -- contractwatch:ignore CW102 after the last statement: nothing
        """)

    func hazard(_ code: Hazard.Code, statement: Int) -> Hazard {
        Hazard(code: code, statement: statement, line: statement, relation: nil, detail: "x")
    }

    @Test func directivesBelongToTheirStatements() {
        let (file, statements) = Suppression.of(Self.script)
        #expect(file.map(\.codes) == [["CW104"]])
        #expect(file.first?.reason == "the deploy tool sets lock_timeout")
        #expect(file.first?.fileWide == true)
        #expect(statements[1]?.map(\.codes) == [["CW101"]], "after the ; on its own line")
        #expect(statements[1]?.first?.reason == "t has ten rows")
        #expect(statements[2]?.map(\.codes) == [["CW103", "CW107"]], "on the line above")
        #expect(statements[3] == nil, "the comment above the previous statement does not carry over")
        #expect(statements[4] == nil, "inside a string it is text, not a comment")
        #expect(statements[6]?.map(\.codes) == [["CW106", "CW105"]], "inside the statement")
        #expect(statements[6]?.first?.reason == "no reason given")
        #expect(Self.script.statements.count == 6)
    }

    @Test func applySplitsHazardsIntoKeptAndSuppressed() {
        let hazards = [
            hazard(.rewrite, statement: 1), hazard(.noLockTimeout, statement: 1), hazard(.blockingIndex, statement: 2),
            hazard(.blockingIndex, statement: 3), hazard(.destructive, statement: 5), hazard(.rename, statement: 6),
        ]
        let (kept, suppressed) = Suppression.apply(hazards, script: Self.script)
        #expect(kept == [hazard(.blockingIndex, statement: 3), hazard(.destructive, statement: 5)])
        #expect(
            suppressed.map { "\($0.hazard.code.rawValue)@\($0.hazard.statement): \($0.suppression.reason)" } == [
                "CW101@1: t has ten rows", "CW104@1: the deploy tool sets lock_timeout", "CW103@2: built at night",
                "CW106@6: no reason given",
            ])
    }

    @Test func severitiesForTheGate() {
        #expect(Hazard.Code.rewrite.severity == .error)
        #expect(Hazard.Code.blockingIndex.severity == .error)
        #expect(Hazard.Code.noLockTimeout.severity == .warning)
        #expect(Hazard.Code.allCases.filter { $0.severity == .error }.count == 4)
    }
}
