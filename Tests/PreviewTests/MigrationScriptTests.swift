import Preview
import Testing

struct MigrationScriptTests {
    @Test func splitsOnlyOnTopLevelSemicolons() {
        let script = MigrationScript(
            #"""
            -- rename; then drop
            ALTER TABLE t RENAME COLUMN a TO "b;c";
            /* a /* nested */ comment; */ UPDATE t SET note = 'it''s; fine' WHERE x = E'\';';
            CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $body$ SELECT 1; COMMIT; $body$;
            INSERT INTO t VALUES ($1)
            """#)
        #expect(script.statements.map(\.line) == [2, 3, 4, 5])
        #expect(
            script.statements.map { $0.keywords.prefix(2).joined(separator: " ") } == [
                "ALTER TABLE", "UPDATE T", "CREATE FUNCTION", "INSERT INTO",
            ])
        #expect(script.statements[1].text.contains("'it''s; fine'"))
        #expect(script.statements[2].text.hasSuffix("$body$ SELECT 1; COMMIT; $body$"))
        #expect(script.refusals.isEmpty, "COMMIT inside a function body is not transaction control")
    }

    @Test(arguments: [
        ("BEGIN;", "transaction control"), ("commit", "transaction control"),
        ("START TRANSACTION;", "transaction control"),
        ("savepoint s1;", "transaction control"), ("ROLLBACK;", "transaction control"),
        ("CREATE INDEX CONCURRENTLY i ON t (a);", "inside a transaction"), ("VACUUM t;", "inside a transaction"),
        ("DROP DATABASE x;", "inside a transaction"), ("ALTER SYSTEM SET work_mem = '1MB';", "inside a transaction"),
        ("REINDEX TABLE CONCURRENTLY t;", "inside a transaction"),
        ("ALTER TABLE parted DETACH PARTITION parted_1 CONCURRENTLY;", "inside a transaction"),
        ("COPY t TO PROGRAM 'rm -rf /tmp/x';", "shell command"), ("copy t from program 'curl x' ;", "shell command"),
    ])
    func refusesWhatCannotBePreviewed(sql: String, reason: String) {
        let refusals = MigrationScript("ALTER TABLE t ADD COLUMN z int;\n" + sql).refusals
        #expect(refusals.count == 1)
        #expect(refusals.first?.line == 2)
        #expect(refusals.first?.reason.contains(reason) == true)
    }

    @Test func concurrentlyFormsHaveTransactionalStandIns() {
        let script = MigrationScript(
            """
            create unique index /* here */ concurrently if not exists "Concurrently" on t (a);
            DROP INDEX CONCURRENTLY IF EXISTS i;
            REINDEX INDEX CONCURRENTLY i;
            ALTER TABLE parted DETACH PARTITION parted_1 CONCURRENTLY;
            VACUUM t;
            """)
        #expect(
            script.statements.map(\.transactionalStandIn) == [
                // What runs is the statement without its comments (`sql`), and without the word.
                #"create unique index    if not exists "Concurrently" on t (a)"#,
                "DROP INDEX  IF EXISTS i",
                "SELECT NULL -- REINDEX … CONCURRENTLY: nothing a snapshot shows changes",
                nil, nil,
            ])
        #expect(script.refusals.map(\.line) == [1, 2, 3, 4, 5])
        #expect(script.refusals(allowingStandIns: true).map(\.line) == [4, 5], "DETACH and VACUUM have none")
    }

    @Test func standardSQLBodiesAreOneStatementNotTransactionControl() {
        // As pg_dump writes them for PostgreSQL 14+: semicolons and END inside BEGIN ATOMIC.
        let script = MigrationScript(
            """
            CREATE FUNCTION public.grade(score integer) RETURNS text
                LANGUAGE sql IMMUTABLE
                BEGIN ATOMIC
                 SELECT CASE WHEN (score > 50) THEN 'pass'::text ELSE 'fail'::text END AS "case";
                 SELECT 'x';
                END;
            CREATE OR REPLACE PROCEDURE public.touch(n int) LANGUAGE sql BEGIN ATOMIC INSERT INTO t VALUES (n); END;
            ALTER TABLE t ADD COLUMN z int;
            BEGIN;
            """)
        #expect(script.statements.map(\.line) == [1, 7, 8, 9])
        #expect(script.statements[0].text.hasSuffix("END"))
        #expect(script.refusals.map(\.line) == [9], "only the real BEGIN is transaction control")
    }

    @Test func psqlMetaCommandsAreNamed() {
        let script = MigrationScript("\\set ON_ERROR_STOP on\nALTER TABLE t ADD COLUMN z int;\n\\i other.sql\n")
        #expect(script.statements.map(\.line) == [1, 2, 3])
        #expect(
            script.refusals.map { "\($0.line) \($0.reason.prefix { $0 != "(" })" } == [
                "1 \\set is a psql meta-command, not SQL ",
                "3 \\i is a psql meta-command, not SQL ",
            ])
    }

    @Test func identifiersWithDollarsAndTypedStringsAreReadAsPostgreSQLReadsThem() {
        // `x$$` is a name, not a dollar quote; in `name'a\'` the e ends a type name, so the
        // string is a plain one and the backslash does not escape the quote.
        let dollar = MigrationScript("SELECT 1 AS x$$;\nCOMMIT;\nSELECT 2 AS y$$;")
        #expect(dollar.statements.map(\.line) == [1, 2, 3])
        #expect(dollar.refusals.map(\.line) == [2])
        let typed = MigrationScript("SELECT name'a\\';\nCOMMIT;\n-- '")
        #expect(typed.refusals.map(\.line) == [2])
        let escaped = MigrationScript("SELECT E'a\\';\nCOMMIT;\n-- ';")
        #expect(escaped.refusals.isEmpty, "in E'…' the backslash escapes the quote")
    }
}
