import CatalogReader
import Checks
import Foundation
import Postgres
import Testing

/// Every column shape PostgreSQL has, as a new user would try it: `init` in both formats, then
/// `check` is clean; then each narrowing, widening and retyping gives exactly its finding and
/// severity (README, "What is checked").
struct ColumnShapeTests {
    static let zoo = #"""
        CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
        CREATE TYPE feeling AS ENUM ('meh');
        CREATE TYPE pair AS (a int, b text);
        CREATE TYPE floatrange AS RANGE (subtype = float8);
        CREATE DOMAIN year AS integer CHECK (VALUE >= 1901);
        CREATE DOMAIN "Name" AS varchar(50);
        CREATE DOMAIN "Flag" AS boolean NOT NULL;
        CREATE SCHEMA "Odd Schema";
        CREATE TYPE "Odd Schema"."Mood" AS ENUM ('x');
        CREATE SCHEMA dotted;
        CREATE TABLE shapes (
            id integer PRIMARY KEY,
            v varchar, v10 varchar(10), c char(3), c1 char, bt bit(4), vb varbit, vb8 varbit(8),
            n numeric, n102 numeric(10,2), nneg numeric(5,-2), n5 numeric(5),
            ts timestamp, ts3 timestamp(3), tz timestamptz(0), tm time(2), tt timetz,
            iv interval, ivym interval year to month, ivds interval day to second(2),
            va varchar(10)[], tsa timestamp(3)[], na numeric(6,2)[], ta text[], ia integer[][],
            m mood, ma mood[], p pair, r floatrange, ir int4range,
            y year, nm "Name", fl "Flag", om "Odd Schema"."Mood",
            "MixedCase" text, "dotted.col" text, "ünï 列" text, "quote""d" text, "char" "char"
        );
        CREATE TABLE dotted."table" (a int);
        CREATE TABLE "dotted.table" (a int);
        CREATE TABLE "Orders" (id int);
        CREATE TABLE orders (id int);
        CREATE TABLE empty ();
        CREATE TABLE parted (k int, d date, PRIMARY KEY (k, d)) PARTITION BY RANGE (k);
        CREATE TABLE parted_1 PARTITION OF parted FOR VALUES FROM (0) TO (10);
        CREATE TABLE parent (a int);
        CREATE TABLE child (b int) INHERITS (parent);
        """#

    /// init for the public schema and dotted."table"; returns the folder and init's output.
    func initialize(_ dsn: String, format: String) throws -> (ContractDirectory, BinaryRun) {
        let folder = try ContractDirectory([:])
        let run = try runBinary([
            "init", "--dsn", dsn, "--contracts", folder.path, "--schema", "public", "--table", #"dotted."table""#,
            "--format", format, "--owner", "Shapes <shapes@example.com>",
        ])
        return (folder, run)
    }

    @Test(arguments: ["seed", "odcs"])
    func initThenCheckIsCleanOnEveryShape(format: String) throws {
        let dsn = try freshDatabase(Self.zoo)
        let (folder, run) = try initialize(dsn, format: format)
        #expect(run.status == 0, "\(run.stderr)")
        // Nine tables (a partition is covered by its parent), nine distinct files.
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(files.count == 9, "\(files)")
        #expect(Set(files.map { $0.lowercased() }).count == files.count)
        #expect(run.stdout.contains("is taken by another table"))
        let result = Checker.check(try folder.load(), against: try snapshot(dsn))
        #expect(result.contractErrors.map(\.description) == [])
        #expect(summarize(result.violations) == [])
        #expect(summarize(result.notices) == [])
        #expect(result.contracts.count == 9)
        let lint = try runBinary(["lint", folder.path])
        #expect(lint.status == 0, "\(lint.stdout)")
    }

    /// What each migration below must produce, as `kind column severity` (ODCS's where it says
    /// it in its own words: `mood[]` names the element type, the seed format `udt_name: _mood`).
    static let changes: [(sql: String, expected: [String], odcs: [String]?)] = [
        ("ALTER COLUMN v TYPE varchar(100)", ["character_maximum_length v error"], nil),
        ("ALTER COLUMN v10 TYPE varchar(20)", ["character_maximum_length v10 warning"], nil),
        ("ALTER COLUMN c TYPE char(5)", ["character_maximum_length c error"], nil),
        ("ALTER COLUMN bt TYPE bit(8)", ["character_maximum_length bt error"], nil),
        ("ALTER COLUMN vb TYPE varbit(8)", ["character_maximum_length vb error"], nil),
        ("ALTER COLUMN vb8 TYPE varbit", ["character_maximum_length vb8 warning"], nil),
        ("ALTER COLUMN n TYPE numeric(10,2)", ["numeric_precision n error"], nil),
        ("ALTER COLUMN n102 TYPE numeric(10,4)", ["numeric_scale n102 error"], nil),
        ("ALTER COLUMN n102 TYPE numeric(12,2)", ["numeric_precision n102 warning"], nil),
        ("ALTER COLUMN n102 TYPE numeric", ["numeric_precision n102 warning"], nil),
        ("ALTER COLUMN nneg TYPE numeric(5,0)", ["numeric_scale nneg error"], nil),
        ("ALTER COLUMN n5 TYPE numeric(6,1)", ["numeric_precision n5 warning", "numeric_scale n5 warning"], nil),
        ("ALTER COLUMN ts TYPE timestamp(0)", ["datetime_precision ts error"], nil),
        ("ALTER COLUMN ts3 TYPE timestamp(6)", ["datetime_precision ts3 warning"], nil),
        ("ALTER COLUMN tz TYPE timestamp(0)", ["data_type tz error"], nil),
        ("ALTER COLUMN iv TYPE interval year to month", ["interval_type iv error"], nil),
        ("ALTER COLUMN ivym TYPE interval", ["interval_type ivym warning"], nil),
        ("ALTER COLUMN ivds TYPE interval hour to second(2)", ["interval_type ivds error"], nil),
        ("ALTER COLUMN va TYPE varchar(5)[]", ["character_maximum_length va error"], nil),
        ("ALTER COLUMN tsa TYPE timestamp(0)[]", ["datetime_precision tsa error"], nil),
        ("ALTER COLUMN na TYPE numeric(6,3)[]", ["numeric_scale na error"], nil),
        ("ALTER COLUMN ta TYPE varchar(3)[]", ["array_element_type ta error"], nil),
        ("ALTER COLUMN m TYPE feeling USING 'meh'", ["data_type m error"], nil),
        ("ALTER COLUMN ma TYPE feeling[] USING '{}'", ["data_type ma error"], ["array_element_type ma error"]),
        ("ALTER COLUMN y TYPE integer", ["data_type y error"], nil),
        ("ALTER COLUMN nm TYPE text", ["data_type nm error"], nil),
        ("ALTER COLUMN nm TYPE varchar(50)", ["data_type nm error"], nil),
        ("ALTER COLUMN om TYPE mood USING 'ok'", ["data_type om error"], nil),
        (
            "ALTER COLUMN fl DROP NOT NULL, ALTER COLUMN fl TYPE boolean",
            ["data_type fl error", "is_nullable fl error"], nil
        ),
        ("ALTER COLUMN r TYPE numrange USING NULL", ["data_type r error"], nil),
    ]

    @Test(arguments: ["seed", "odcs"])
    func eachChangeGivesExactlyItsFinding(format: String) throws {
        let dsn = try freshDatabase(Self.zoo)
        let (folder, run) = try initialize(dsn, format: format)
        #expect(run.status == 0, "\(run.stderr)")
        let contracts = try folder.load()
        for change in Self.changes {
            // One migration at a time, each in a transaction that is rolled back afterwards.
            let connection = try Connection(ConnectionSettings(dsn: dsn, readOnly: false))
            try connection.execute(script: "BEGIN; ALTER TABLE shapes " + change.sql)
            let snap = try CatalogReader.snapshot(connection)
            try connection.execute(script: "ROLLBACK")
            let found = Checker.check(contracts, against: snap).violations.map {
                "\($0.kind.rawValue) \($0.column ?? "-") \($0.severity.rawValue)"
            }
            #expect(
                found == (format == "odcs" ? change.odcs ?? change.expected : change.expected),
                "\(format): \(change.sql)")
        }
    }

    @Test func findingsSayWhatChangedInTheContractsWords() throws {
        let dsn = try freshDatabase(Self.zoo)
        let (seed, _) = try initialize(dsn, format: "seed")
        let (odcs, _) = try initialize(dsn, format: "odcs")
        try migrate(
            dsn,
            """
            ALTER TABLE shapes ALTER COLUMN v TYPE varchar(100), ALTER COLUMN n102 TYPE numeric(10,4),
                ALTER COLUMN m TYPE feeling USING 'meh', ALTER COLUMN y TYPE integer, ALTER COLUMN iv TYPE interval
                    year to month;
            """)
        let snap = try snapshot(dsn)
        let seedFindings = Checker.check(try seed.load(), against: snap).violations
        let odcsFindings = Checker.check(try odcs.load(), against: snap).violations
        #expect(
            summarize(seedFindings) == [
                "character_maximum_length shapes.v unlimited→100 error",
                "numeric_scale shapes.n102 2→4 error",
                "interval_type shapes.iv unlimited→YEAR TO MONTH error",
                "data_type shapes.m mood→feeling error",
                "data_type shapes.y year→null error",
            ])
        #expect(
            summarize(odcsFindings) == [
                "character_maximum_length shapes.v unlimited→100 error",
                "numeric_scale shapes.n102 2→4 error",
                "interval_type shapes.iv unlimited→YEAR TO MONTH error",
                "data_type shapes.m mood→feeling error",
                "data_type shapes.y year→integer error",
            ])
        let scale = try #require(seedFindings.first { $0.kind == .numericScale })
        #expect(scale.message.contains("integer digits 8 → 6"))
        let length = try #require(seedFindings.first { $0.kind == .characterMaximumLength })
        #expect(
            length.message
                == "v: expected character_maximum_length no limit, found 100 (limited where the contract has no limit)")
    }
}
