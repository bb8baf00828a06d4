import Checks
import Foundation
import Testing

/// Valid ODCS as people write it by hand, against a pagila-like schema (a `year` domain, an
/// `mpaa_rating` enum, arrays, full-text vectors) and AdventureWorks-style quoted domains.
struct HandWrittenODCSTests {
    static let schema = #"""
        CREATE DOMAIN year AS integer CONSTRAINT year_check CHECK (VALUE >= 1901 AND VALUE <= 2155);
        CREATE DOMAIN "Name" AS varchar(50);
        CREATE TYPE mpaa_rating AS ENUM ('G', 'PG', 'PG-13', 'R', 'NC-17');
        CREATE TABLE film (
            film_id integer NOT NULL, language_id smallint NOT NULL, title text NOT NULL,
            release_year year, rating mpaa_rating DEFAULT 'G', special_features text[], fulltext tsvector NOT NULL,
            rental_rate numeric(4,2) NOT NULL, label "Name",
            PRIMARY KEY (film_id, language_id));
        CREATE TABLE audit_log (id bigint);
        CREATE SCHEMA archive;
        CREATE TABLE archive.payment (id integer);
        """#

    static let contract = """
        apiVersion: v3.1.0
        kind: DataContract
        id: film
        name: film
        version: 1.0.0
        status: active
        servers:
          - {server: dev, type: postgres, host: localhost, port: 5432, database: pagila, schema: public}
        team: {name: Catalog, members: [{username: catalog@example.com, role: owner}]}
        x-keys: &key
          required: true
          primaryKey: true
        schema:
          - name: film
            properties:
              - {name: film_id, physicalType: integer, <<: *key, primaryKeyPosition: 1}
              - {name: language_id, physicalType: int2, <<: *key, primaryKeyPosition: 2}
              - {name: title, physicalType: text, required: true, primaryKeyPosition: -1}
              - {name: release_year, physicalType: year}
              - {name: rating, physicalType: mpaa_rating}
              - {name: special_features, physicalType: "text[]"}
              - {name: fulltext, physicalType: tsvector, required: true}
              - {name: rental_rate, physicalType: "numeric(4,2)", required: true}
              - {name: label, physicalType: '"Name"'}
          - name: audit_log
          - name: payment
        """

    func check(_ dsn: String, _ files: [String: String]) throws -> CheckResult {
        Checker.check(try ContractDirectory(files).load(), against: try snapshot(dsn))
    }

    @Test func handWrittenODCSHoldsThenCatchesRetyping() throws {
        let dsn = try freshDatabase(Self.schema)
        let clean = try check(dsn, ["film.odcs.yaml": Self.contract])
        #expect(clean.contractErrors.map(\.description) == [])
        // The payment table is in another schema: said in ODCS's words.
        #expect(summarize(clean.violations) == ["table_missing payment present→absent error"])
        #expect(
            clean.notices.map(\.detail).contains {
                $0.contains("archive.payment") && $0.contains("is servers[].schema right?")
            })

        try migrate(
            dsn,
            """
            ALTER TABLE film ALTER COLUMN rating DROP DEFAULT, ALTER COLUMN rating TYPE text,
                ALTER COLUMN release_year TYPE integer, ALTER COLUMN label TYPE name,
                ALTER COLUMN rental_rate TYPE numeric(4,3);
            """)
        let broken = try check(dsn, ["film.odcs.yaml": Self.contract])
        #expect(
            summarize(broken.violations) == [
                "data_type film.release_year year→integer error",
                "data_type film.rating mpaa_rating→text error",
                "numeric_scale film.rental_rate 2→3 error",
                "data_type film.label \"Name\"→name error",
                "table_missing payment present→absent error",
            ])
    }

    @Test func otherFormatsAndBrokenYAMLAreContractErrorsWithTheirPlace() throws {
        let dsn = try freshDatabase(Self.schema)
        let folder = try ContractDirectory([
            "film.odcs.yaml": Self.contract,
            "dcs.yaml":
                "dataContractSpecification: 1.1.0\nid: orders\nmodels:\n  orders:\n    fields: {id: {type: integer}}\n",
            "dup.yaml":
                "apiVersion: v3.1.0\nid: d\nschema:\n  - name: film\n    properties:\n      - name: title\n       "
                + " physicalType: text\n        physicalType: varchar(10)\n",
        ])
        let run = try runBinary(["check", "--dsn", dsn, "--contracts", folder.path, "--format", "json"])
        #expect(run.status == 1)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let errors = try #require(json["contract_errors"] as? [[String: Any]])
        #expect(
            errors.map {
                (($0["file"] as? String).map { ($0 as NSString).lastPathComponent } ?? "")
                    + ":\($0["line"] ?? 0):\($0["column"] ?? 0)"
            } == [
                "dcs.yaml:1:28", "dup.yaml:8:9",
            ])
        #expect((errors[0]["message"] as? String)?.hasPrefix("this is a Data Contract Specification file") == true)
        #expect((errors[1]["message"] as? String)?.hasPrefix("duplicate key \"physicalType\" (first at 7:9)") == true)
    }
}
