import Checks
import Contracts
import Foundation
import Postgres
import Testing

/// Contracts and schemas nobody on this project wrote: the official ODCS AdventureWorks example
/// against the AdventureWorks schema it was generated from (see Fixtures/adventureworks).
struct RealMaterialTests {
    static let folder = Fixtures.directory + "/adventureworks"

    func adventureWorks() throws -> String {
        try freshDatabase(try String(contentsOfFile: Self.folder + "/adventureworks.sql", encoding: .utf8))
    }

    func officialExample() throws -> ContractDirectory {
        try ContractDirectory([
            "adventureworks.odcs.yaml": try String(
                contentsOfFile: Self.folder + "/postgresql-adventureworks-contract.odcs.yaml", encoding: .utf8)
        ])
    }

    @Test func officialODCSExampleReadsAndHoldsExceptWhereItDropsPrecisions() throws {
        let dsn = try adventureWorks()
        let contracts = try officialExample().load()
        #expect(contracts.errors.map(\.description) == [])
        #expect(contracts.contracts.count == 68)
        let result = Checker.check(contracts, against: try snapshot(dsn))
        // Domains named in physicalType (`Name`, `Flag`, `Phone`, `AccountNumber`…) match their
        // columns; `varchar[15]` is a length; `required: false` promises nothing. What remains is
        // true of the file: it writes `numeric` (no limit) for six numeric(8,2)/(9,4) columns.
        #expect(
            summarize(result.violations) == [
                "numeric_precision billofmaterials.perassemblyqty unlimited→8 error",
                "numeric_precision location.availability unlimited→8 error",
                "numeric_precision product.weight unlimited→8 error",
                "numeric_precision workorderrouting.actualresourcehrs unlimited→9 error",
                "numeric_precision purchaseorderdetail.receivedqty unlimited→8 error",
                "numeric_precision purchaseorderdetail.rejectedqty unlimited→8 error",
            ])
        #expect(summarize(result.notices) == [])
    }

    @Test func officialODCSExampleCatchesRealChanges() throws {
        let dsn = try adventureWorks()
        let contracts = try officialExample().load()
        try migrate(
            dsn,
            """
            -- the schema's views (left in their schemas) would refuse the type changes
            DROP SCHEMA pe, hr, pr, pu, sa, humanresources, person, production, purchasing, sales CASCADE;
            ALTER TABLE department ALTER COLUMN name TYPE text;
            ALTER TABLE employee ALTER COLUMN jobtitle TYPE varchar(30);
            ALTER TABLE employee ALTER COLUMN salariedflag TYPE boolean;
            ALTER TABLE person ALTER COLUMN persontype TYPE varchar(2);
            ALTER TABLE employeepayhistory RENAME COLUMN rate TO hourly_rate;
            """)
        let found = Checker.check(contracts, against: try snapshot(dsn)).violations.filter {
            $0.kind != .numericPrecision
        }
        #expect(
            summarize(found) == [
                "data_type department.name Name→text error",
                "character_maximum_length employee.jobtitle 50→30 error",
                "data_type employee.salariedflag Flag→boolean error",
                "column_missing employeepayhistory.rate present→absent error",
                "data_type person.persontype character→character varying error",
            ])
    }
}

extension RealMaterialTests {
    /// A real schema script as a migration: 798 statements with PL/pgSQL functions (comments in
    /// their bodies), DO blocks, extensions and hundreds of constraints, previewed on an empty
    /// database and rolled back.
    @Test func theAdventureWorksSchemaPreviewsAsAMigration() throws {
        let dsn = try freshDatabase()
        let run = try runBinary([
            "preview", Self.folder + "/adventureworks.sql", "--dsn", dsn, "--contracts", Self.folder, "--format",
            "json",
        ])
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stderr.contains("running on a schema copy of"), "\(run.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let preview = try #require(json["preview"] as? [String: Any])
        #expect((preview["fixed"] as? [Any])?.count == 68, "every table_missing is fixed")
        #expect(
            (json["violations"] as? [[String: Any]])?.compactMap { $0["kind"] as? String }
                == Array(repeating: "numeric_precision", count: 6))
        let tables = try Connection(ConnectionSettings(dsn: dsn)).query(
            "SELECT count(*) FROM pg_class WHERE relkind = 'r' AND relnamespace <> 'pg_catalog'::regnamespace AND "
                + "relnamespace <> 'information_schema'::regnamespace"
        )
        #expect(tables.int(0, 0) == 0)
    }
}

/// datacontract-cli's own Postgres fixture (see Fixtures/datacontract-cli): an ODCS v3 file that
/// still uses v2 keys, against the table it tests.
struct OtherToolFixtureTests {
    @Test func datacontractCLIFixtureIsReadAndExplained() throws {
        let folder = Fixtures.directory + "/datacontract-cli"
        let dsn = try freshDatabase(try String(contentsOfFile: folder + "/data.sql", encoding: .utf8))
        let contracts = try ContractDirectory([
            "odcs.yaml": try String(contentsOfFile: folder + "/odcs.yaml", encoding: .utf8)
        ])
        let set = try contracts.load()
        #expect(set.errors.map(\.description) == [])
        let result = Checker.check(set, against: try snapshot(dsn))
        // `physicalType: varchar` is PostgreSQL's varchar without a limit; the column has one.
        #expect(summarize(result.violations) == ["character_maximum_length my_table.field_one unlimited→10 error"])
        // v2's isNullable/isUnique are not read as v3 keys: lint points at their v3 names.
        let lint = try runBinary(["lint", contracts.path])
        #expect(
            lint.stdout.contains(
                "odcs.yaml:17:5: other-format-key: column field_one: \"isNullable\" is ODCS v2 and is not read; "
                    + "ODCS v3 says required"
            ), "\(lint.stdout)")
        #expect(lint.stdout.contains("odcs.yaml:18:5: other-format-key: column field_one: \"isUnique\" is ODCS v2"))
    }
}

/// The line scan that gives `check` the table names of ODCS files before they are parsed names
/// exactly the tables the parser finds, in real files: the official AdventureWorks example (68
/// tables), datacontract-cli's fixture and ours.
struct ODCSTableNameHintTests {
    @Test func theScanFindsTheTablesTheParserFinds() throws {
        let files = [
            "adventureworks/postgresql-adventureworks-contract.odcs.yaml", "datacontract-cli/odcs.yaml",
            "object_images.odcs.yaml", "object_images_normalized.odcs.yaml",
        ]
        for name in files {
            let bytes = Array(try Fixtures.text(name).utf8)
            let parsed = try ODCSContractReader.read(String(decoding: bytes, as: UTF8.self), file: name).get()
            #expect(ODCSContractReader.tableNameHints(bytes) == parsed.map(\.table.name), "\(name)")
        }
        #expect(ODCSContractReader.tableNameHints(Array(try Fixtures.text(files[0]).utf8)).count > 60)
    }

    @Test func quotedNamesCommentsAndNestedListsAreReadAsTheParserReadsThem() throws {
        let yaml = """
            apiVersion: v3.1.0
            kind: DataContract
            id: x
            schema:
              - name: Orders   # the logical name
                physicalName: "Sales Orders"
                properties:
                  - name: id
                    physicalType: integer
                  - name: total
              - physicalName: 'line_items'
                name: Items
              - name: plain
            servers:
              - server: pg
                type: postgres
            """
        let parsed = try ODCSContractReader.read(yaml, file: "x.yaml").get()
        #expect(parsed.map(\.table.name) == ["Sales Orders", "line_items", "plain"])
        #expect(ODCSContractReader.tableNameHints(Array(yaml.utf8)) == ["Sales Orders", "line_items", "plain"])
    }
}
