import Checks
import Foundation
import Postgres
import Testing

/// The edge cases that produce false positives or misses in the usual information_schema
/// approach. Each asserts the exact findings.
struct EdgeCaseTests {
    func check(_ sql: String, _ contracts: [String: String]) throws -> CheckResult {
        let dsn = try freshDatabase(sql)
        let folder = try ContractDirectory(contracts)
        return Checker.check(try folder.load(), against: try snapshot(dsn))
    }

    @Test func foreignKeyCheckAndUniqueAreNotPrimaryKeys() throws {
        let result = try check(
            """
            CREATE TABLE parent (id integer PRIMARY KEY);
            CREATE TABLE child (
                id integer PRIMARY KEY,
                parent_id integer NOT NULL REFERENCES parent (id),
                code text UNIQUE CHECK (code <> ''),
                amount integer CHECK (amount > 0));
            """,
            [
                "child.json": seedContract(
                    name: "child", table: "child",
                    columns: [
                        ("id", #"{"constraints": {"primaryKey": true, "data_type": "integer"}}"#),
                        (
                            "parent_id",
                            #"{"constraints": {"primaryKey": false, "data_type": "integer", "is_nullable": false}}"#
                        ),
                        ("code", #"{"constraints": {"primaryKey": false, "data_type": "text"}}"#),
                        ("amount", #"{"constraints": {"primaryKey": false, "data_type": "integer"}}"#),
                    ])
            ])
        #expect(summarize(result.violations) == [])
        #expect(summarize(result.notices) == [])
    }

    @Test func contractsForOtherSchemasMatchTheirSchemaOnly() throws {
        // Same table name in two schemas with different shapes: each contract sees its own.
        let result = try check(
            """
            CREATE SCHEMA sales;
            CREATE TABLE sales.orders (id bigint PRIMARY KEY, total numeric(12,2) NOT NULL);
            CREATE TABLE public.orders (id integer PRIMARY KEY, note text);
            """,
            [
                "sales.json": seedContract(
                    name: "sales-orders", schema: "sales", table: "orders",
                    columns: [
                        (
                            "id",
                            #"{"constraints": {"primaryKey": true, "data_type": "bigint", "numeric_precision": 64}}"#
                        ),
                        (
                            "total",
                            #"{"constraints": {"data_type": "numeric", "numeric_precision": 12, "#
                                + #""numeric_scale": 2, "is_nullable": false}}"#
                        ),
                    ]),
                "public.json": seedContract(
                    name: "public-orders", table: "orders",
                    columns: [
                        ("id", #"{"constraints": {"primaryKey": true, "data_type": "integer"}}"#),
                        ("note", #"{"constraints": {"data_type": "text"}}"#),
                    ]),
            ])
        #expect(summarize(result.violations) == [])
        #expect(summarize(result.notices) == [])
    }

    @Test func precisionsWrittenAsFloatsEqualIntegers() throws {
        let result = try check(
            "CREATE TABLE t (a integer NOT NULL, b timestamp(3), c numeric(10,2));",
            [
                "t.json": seedContract(
                    name: "t", table: "t",
                    columns: [
                        (
                            "a",
                            #"{"constraints": {"data_type": "integer", "numeric_precision": 32.0, "#
                                + #""numeric_scale": 0.0, "is_nullable": "NO"}}"#
                        ),
                        (
                            "b",
                            #"{"constraints": {"data_type": "timestamp without time zone", "datetime_precision": 3.0}}"#
                        ),
                        (
                            "c",
                            #"{"constraints": {"data_type": "numeric", "numeric_precision": 10, "numeric_scale": 2.0}}"#
                        ),
                    ])
            ])
        #expect(summarize(result.violations) == [])
    }

    @Test func uncontractedTablesWithOddNamesProduceNothing() throws {
        let result = try check(
            #"""
            CREATE TABLE "Weird ""Quoted"" Name" ("Col ""x""" int);
            CREATE TABLE "Ünïcødé 表" ("列" text);
            CREATE TABLE "MixedCase" ("Id" int PRIMARY KEY);
            CREATE TABLE "with space" (a int);
            CREATE TABLE "semi;colon'quote" (a int);
            CREATE TABLE empty_table ();
            CREATE TABLE ok (a int);
            """#,
            [
                "ok.json": seedContract(
                    name: "ok", table: "ok", columns: [("a", #"{"constraints": {"data_type": "integer"}}"#)])
            ])
        #expect(summarize(result.violations) == [])
        #expect(summarize(result.notices) == [])
    }

    @Test func mixedCaseQuotedAndUnicodeIdentifiersAreChecked() throws {
        let dsn = try freshDatabase(
            """
            CREATE SCHEMA "Ventes";
            CREATE TABLE "Ventes"."Café Orders" (
              "ID" integer PRIMARY KEY, "Prix €" numeric(8,2) NOT NULL, "客户" text, "quote""d" text);
            """)
        let folder = try ContractDirectory([
            "cafe.json": seedContract(
                name: "café", schema: "Ventes", table: "Café Orders",
                columns: [
                    ("ID", #"{"constraints": {"primaryKey": true, "data_type": "integer"}}"#),
                    (
                        "Prix €",
                        #"{"constraints": {"data_type": "numeric", "numeric_precision": 8, "numeric_scale": 2, "#
                            + #""is_nullable": false}}"#
                    ),
                    ("客户", #"{"constraints": {"data_type": "text"}}"#),
                    ("quote\"d", #"{"constraints": {"data_type": "text"}}"#),
                ])
        ])
        var result = Checker.check(try folder.load(), against: try snapshot(dsn))
        #expect(summarize(result.violations) == [])
        #expect(summarize(result.notices) == [])

        try migrate(
            dsn,
            #"ALTER TABLE "Ventes"."Café Orders" DROP COLUMN "客户"; "#
                + #"ALTER TABLE "Ventes"."Café Orders" ALTER COLUMN "Prix €" DROP NOT NULL;"#
        )
        result = Checker.check(try folder.load(), against: try snapshot(dsn))
        #expect(
            summarize(result.violations) == [
                "is_nullable Café Orders.Prix € false→true error",
                "column_missing Café Orders.客户 present→absent error",
            ])
    }

    @Test func missingTableExplainsWhy() throws {
        let result = try check(
            """
            CREATE SCHEMA archive;
            CREATE TABLE archive.invoices (id int);
            CREATE TABLE "Customers" (id int);
            CREATE TABLE real_table (id int);
            CREATE VIEW report AS SELECT id FROM real_table;
            """,
            [
                "a.json": seedContract(name: "invoices", table: "invoices", columns: [("id", "{}")]),
                "b.json": seedContract(name: "customers", table: "customers", columns: [("id", "{}")]),
                "c.json": seedContract(
                    name: "report", table: "report", columns: [("id", #"{"constraints": {"data_type": "integer"}}"#)]),
                "d.json": seedContract(
                    name: "nowhere", table: "nowhere", catalog: "warehouse", columns: [("id", "{}")]),
            ])
        #expect(
            summarize(result.violations) == [
                "table_missing invoices present→absent error",
                "table_missing customers present→absent error",
                "table_missing nowhere present→absent error",
            ])
        #expect(
            summarize(result.notices) == [
                "table_in_other_schema invoices",
                "table_name_case customers",
                "relation_kind report",
                "catalog_mismatch nowhere",
            ])
        #expect(result.notices[0].detail.contains("archive.invoices"))
        #expect(result.notices[1].detail.contains("public.\"Customers\""))
        #expect(result.notices[2].detail.contains("is a view"))
        #expect(result.notices[3].detail.contains("\"warehouse\""))
    }

    @Test func everyViolationKindWithItsBreakingClass() throws {
        let dsn = try freshDatabase(
            """
            CREATE TABLE t (
                id integer PRIMARY KEY, code varchar(20), name varchar(200), price numeric(8,2),
                ratio numeric(12,6), at timestamp(3), tags integer[], must text, may text NOT NULL,
                extra_key integer NOT NULL, kind text);
            CREATE VIEW v AS SELECT id, upper(kind) AS kind_upper FROM t;
            """)
        try migrate(dsn, "ALTER TABLE t DROP CONSTRAINT t_pkey; ALTER TABLE t ADD PRIMARY KEY (extra_key);")
        let folder = try ContractDirectory([
            "t.json": seedContract(
                name: "t", table: "t",
                columns: [
                    ("id", #"{"constraints": {"primaryKey": true}}"#),
                    ("code", #"{"constraints": {"character_maximum_length": 50}}"#),
                    ("name", #"{"constraints": {"character_maximum_length": 100}}"#),
                    ("price", #"{"constraints": {"numeric_precision": 10, "numeric_scale": 2}}"#),
                    ("ratio", #"{"constraints": {"numeric_precision": 12, "numeric_scale": 4}}"#),
                    ("at", #"{"constraints": {"datetime_precision": 6}}"#),
                    ("tags", #"{"constraints": {"data_type": "ARRAY"}, "array_element": {"data_type": "text"}}"#),
                    ("must", #"{"constraints": {"is_nullable": false}}"#),
                    ("may", #"{"constraints": {"is_nullable": true}}"#),
                    ("extra_key", #"{"constraints": {"primaryKey": false}}"#),
                    ("kind", #"{"constraints": {"data_type": "integer", "character_maximum_length": 10}}"#),
                ]),
            "v.json": seedContract(
                name: "v", table: "v",
                columns: [
                    ("kind_upper", #"{"constraints": {"is_updatable": true}}"#)
                ]),
        ])
        let result = Checker.check(try folder.load(), against: try snapshot(dsn))
        #expect(
            summarize(result.violations) == [
                "primary_key t.id true→false error",
                "character_maximum_length t.code 50→20 error",
                "character_maximum_length t.name 100→200 warning",
                "numeric_precision t.price 10→8 error",
                "numeric_scale t.ratio 4→6 error", // 8 integer digits become 6
                "datetime_precision t.at 6→3 error",
                "array_element_type t.tags text→integer error",
                "is_nullable t.must false→true error",
                "is_nullable t.may true→false warning",
                "primary_key t.extra_key false→true warning",
                // A different type is reported once; its length is not compared.
                "data_type t.kind integer→text error",
                "is_updatable v.kind_upper true→false warning",
            ])
        #expect(result.violations.map(\.breaking) == result.violations.map { $0.severity == .error })
        #expect(summarize(result.notices) == ["relation_kind v", "uncontracted_column v.id"])
    }

    @Test func omittedConstraintsAreNotChecked() throws {
        let result = try check(
            "CREATE TABLE t (a varchar(5), b bigint);",
            [
                "t.json": seedContract(
                    name: "t", table: "t",
                    columns: [
                        ("a", "{}"),
                        ("b", #"{"description": "only needs to exist"}"#),
                    ])
            ])
        #expect(summarize(result.violations) == [])
    }

    @Test func contractErrorsDoNotStopOtherContracts() throws {
        let result = try check(
            "CREATE TABLE t (a int);",
            [
                "good.json": seedContract(
                    name: "t", table: "t", columns: [("a", #"{"constraints": {"data_type": "text"}}"#)]),
                "broken.json":
                    "{\n  \"name\": \"broken\",\n  \"schema\": {\"table_name\": \"x\", \"properties\": {},}\n}",
            ])
        #expect(summarize(result.violations) == ["data_type t.a text→integer error"])
        #expect(result.contractErrors.count == 1)
        #expect(result.contractErrors.first?.line == 3)
        #expect(result.contractErrors.first?.message.contains("trailing comma") == true)
        #expect(result.contracts.map(\.status) == [.invalid, .violated])
    }

    /// A `CREATE UNIQUE INDEX CONCURRENTLY` that failed on duplicates leaves an invalid index
    /// behind (pg_index.indisunique but not indisvalid): it guarantees nothing about the rows
    /// already there, so the column is not unique. One that succeeded makes it unique.
    @Test func aFailedConcurrentUniqueIndexDoesNotMakeAColumnUnique() throws {
        let dsn = try freshDatabase(
            "CREATE TABLE t (a integer, b integer); INSERT INTO t SELECT g % 5, g FROM generate_series(1, 20) g;")
        #expect(throws: PostgresError.self) { try migrate(dsn, "CREATE UNIQUE INDEX CONCURRENTLY t_a_key ON t (a)") }
        try migrate(dsn, "CREATE UNIQUE INDEX CONCURRENTLY t_b_key ON t (b)")
        let left = try Connection(ConnectionSettings(dsn: dsn)).query(
            "SELECT indisvalid::text FROM pg_index WHERE indexrelid = 't_a_key'::regclass")
        #expect(left.string(0, 0) == "false", "the failed build left its invalid index")
        let folder = try ContractDirectory([
            "t.odcs.yaml": odcsContract(
                id: "t", table: "t",
                properties: [
                    ("a", ["physicalType: integer", "unique: true"]), ("b", ["physicalType: integer", "unique: true"]),
                ])
        ])
        let result = Checker.check(try folder.load(), against: try snapshot(dsn))
        #expect(summarize(result.violations) == ["unique t.a true→false error"])
    }
}
