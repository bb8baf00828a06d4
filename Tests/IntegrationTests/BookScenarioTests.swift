import Checks
import ContractFiles
import Contracts
import DemoDatabase
import Foundation
import Postgres
import Reports
import Testing

/// The Data Contracts book, chapter 7: its whole violation scenario, on the real demo schema,
/// through the library and through the `contractwatch check --format json` binary.
@Suite(.serialized)
struct BookScenarioTests {
    /// The book's contracts name `table_catalog: postgres`, so this suite uses the cluster's
    /// `postgres` database (no other test touches it).
    static func prepare() throws -> String {
        let cluster = try cluster()
        try cluster.execute(
            "DROP SCHEMA public CASCADE; CREATE SCHEMA public;" + DemoDatabase.schemaSQL, in: "postgres")
        return cluster.connectionString(database: "postgres")
    }

    func checkBoth(_ dsn: String, _ folder: ContractDirectory) throws -> (CheckResult, BinaryRun) {
        let result = Checker.check(try folder.load(), against: try snapshot(dsn))
        let run = try runBinary(["check", "--dsn", dsn, "--contracts", folder.path, "--format", "json"])
        return (result, run)
    }

    func jsonViolations(_ run: BinaryRun) throws -> [[String: Any]] {
        let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        return object?["violations"] as? [[String: Any]] ?? []
    }

    @Test func wholeScenario() throws {
        let dsn = try Self.prepare()
        let folder = try ContractDirectory(["object_images_contract_spec.json": try Fixtures.bookObjectImages])

        // I. Baseline: the book's contract holds against the book's schema.
        var (result, run) = try checkBoth(dsn, folder)
        #expect(summarize(result.violations) == [])
        #expect(summarize(result.notices) == [])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(try jsonViolations(run).isEmpty)

        // II–III. The normalizing migration: primary_image renamed to image, additional_images
        // dropped, is_primary_image added. Exactly the book's two violations.
        try migrate(
            dsn,
            """
            ALTER TABLE object_images RENAME COLUMN primary_image TO image;
            ALTER TABLE object_images DROP COLUMN additional_images;
            ALTER TABLE object_images ADD COLUMN is_primary_image boolean;
            COMMENT ON COLUMN object_images.is_primary_image IS 'Identifies if its the primary image for the object.';
            """)
        (result, run) = try checkBoth(dsn, folder)
        #expect(
            summarize(result.violations) == [
                "column_missing object_images.primary_image present→absent error",
                "column_missing object_images.additional_images present→absent error",
            ])
        #expect(
            result.violations.allSatisfy {
                $0.breaking && $0.owner?.email == "data-eng@museum.org" && $0.contract == "object-images-contract-spec"
            })
        #expect(
            summarize(result.notices) == [
                "uncontracted_column object_images.image",
                "uncontracted_column object_images.is_primary_image",
            ])
        #expect(result.notices[0].detail.contains("may be the renamed primary_image"))
        #expect(!result.notices[1].detail.contains("renamed"))
        #expect(run.status == 1)
        let json = try jsonViolations(run)
        #expect(json.map { $0["column"] as? String } == ["primary_image", "additional_images"])
        #expect(
            json.allSatisfy {
                $0["kind"] as? String == "column_missing" && $0["expected"] as? String == "present"
                    && $0["actual"] as? String == "absent"
            })
        #expect((json.first?["owner"] as? [String: Any])?["name"] as? String == "Data Engineering Team")

        // V–VIII. Revert; add the normalized contract before its table exists: one table_missing.
        try migrate(
            dsn,
            """
            ALTER TABLE object_images DROP COLUMN is_primary_image;
            ALTER TABLE object_images RENAME COLUMN image TO primary_image;
            ALTER TABLE object_images ADD COLUMN additional_images text[];
            ALTER TABLE object_images ALTER COLUMN created_at SET DEFAULT CURRENT_TIMESTAMP;
            DROP TABLE object_images_normalized;
            """)
        try folder.write("object_images_normalized_contract_spec.json", try Fixtures.bookObjectImagesNormalized)
        (result, run) = try checkBoth(dsn, folder)
        #expect(summarize(result.violations) == ["table_missing object_images_normalized present→absent error"])
        #expect(summarize(result.notices) == [])
        #expect(result.contracts.map(\.status) == [.ok, .violated])
        #expect(run.status == 1)
        #expect(try jsonViolations(run).map { $0["kind"] as? String } == ["table_missing"])

        // IX. Create the table: everything holds.
        try migrate(
            dsn,
            """
            CREATE TABLE object_images_normalized (
                object_id integer PRIMARY KEY,
                image text,
                is_primary_image boolean,
                created_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP);
            """)
        (result, run) = try checkBoth(dsn, folder)
        #expect(summarize(result.violations) == [])
        #expect(result.contracts.map(\.status) == [.ok, .ok])
        #expect(run.status == 0)
    }

    /// The same scenario with the book's contracts rewritten as ODCS: identical findings at every
    /// step (compared field by field except the file name and format).
    @Test func odcsContractsGiveTheSameFindings() throws {
        let dsn = try Self.prepare()
        let seed = try ContractDirectory(["object_images_contract_spec.json": try Fixtures.bookObjectImages])
        let odcs = try ContractDirectory(["object_images.odcs.yaml": try Fixtures.odcsObjectImages])
        func findings(_ folder: ContractDirectory) throws -> [String] {
            let result = Checker.check(try folder.load(), against: try snapshot(dsn))
            #expect(result.contractErrors == [])
            return result.violations.map {
                "\($0.contract) \($0.kind.rawValue) \($0.location) \($0.expected)→\($0.actual) "
                    + "\($0.severity.rawValue) \($0.owner?.display ?? "-")"
            }
                + result.notices.map { "\($0.kind.rawValue) \($0.table ?? "")\($0.column.map { "." + $0 } ?? "")" }
        }
        var states: [[String]] = []
        states.append(try findings(seed))
        #expect(try findings(odcs) == states.last)

        try migrate(
            dsn,
            """
            ALTER TABLE object_images RENAME COLUMN primary_image TO image;
            ALTER TABLE object_images DROP COLUMN additional_images;
            ALTER TABLE object_images ADD COLUMN is_primary_image boolean;
            """)
        states.append(try findings(seed))
        #expect(states.last?.count == 4)
        #expect(try findings(odcs) == states.last)

        try migrate(
            dsn,
            """
            ALTER TABLE object_images DROP COLUMN is_primary_image;
            ALTER TABLE object_images RENAME COLUMN image TO primary_image;
            ALTER TABLE object_images ADD COLUMN additional_images text[];
            ALTER TABLE object_images ALTER COLUMN created_at TYPE timestamp(3);
            DROP TABLE object_images_normalized;
            """)
        try seed.write("object_images_normalized_contract_spec.json", try Fixtures.bookObjectImagesNormalized)
        try odcs.write("object_images_normalized.odcs.yaml", try Fixtures.odcsObjectImagesNormalized)
        states.append(try findings(seed))
        #expect(
            states.last == [
                "object-images-contract-spec datetime_precision public.object_images.created_at 6→3 error Data "
                    + "Engineering Team <data-eng@museum.org>",
                "object-images-normalized-contract-spec table_missing public.object_images_normalized "
                    + "present→absent error Data Engineering Team <data-eng@museum.org>",
            ])
        #expect(try findings(odcs) == states.last)

        try migrate(
            dsn,
            """
            ALTER TABLE object_images ALTER COLUMN created_at TYPE timestamp(6);
            CREATE TABLE object_images_normalized (object_id integer PRIMARY KEY, image text, is_primary_image boolean,
                                                   created_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP);
            """)
        #expect(try findings(seed) == [])
        #expect(try findings(odcs) == [])
    }

    @Test func shippedContractsHoldAgainstShippedSchema() throws {
        let dsn = try freshDatabase(DemoDatabase.schemaSQL)
        let set = try ContractFolder.load(repositoryRoot + "/contracts")
        #expect(set.errors == [])
        #expect(set.contracts.count == 9)
        #expect(Set(set.contracts.map(\.table.name)) == Set(DemoDatabase.tables))
        #expect(set.contracts.allSatisfy { $0.owner?.email?.contains("@") == true })
        #expect(ContractLint.lint(set).map(\.description) == [], "the shipped contracts lint clean")
        #expect(set.registry.people.count == 11)
        let images = try #require(set.contracts.first { $0.table.name == "object_images" })
        #expect(set.registry.roles(for: images).allSatisfy { $0.person != nil })
        let result = Checker.check(set, against: try snapshot(dsn))
        #expect(summarize(result.violations) == [])
        // The shipped contracts say table_catalog "postgres"; this database has another name.
        #expect(Set(result.notices.map(\.kind)) == [.catalogMismatch])
    }
}
