import Catalog
import Contracts
import Foundation
import Postgres
import Preview
import Testing

@testable import Watch

/// What `preview` observes each statement doing, on a real server: locks from pg_locks, rewrites
/// from a new relfilenode, full-table reads from the transaction's scan counters; and the
/// hazards with their stable codes. A widening that PostgreSQL does in place is no rewrite.
struct MigrationHazardTests {
    static let schema = """
        CREATE TABLE orders (id integer PRIMARY KEY, note varchar(50), amount integer);
        INSERT INTO orders SELECT g, 'n', g FROM generate_series(1, 2000) g;
        CREATE TABLE customers (id integer PRIMARY KEY);
        ANALYZE;
        """

    func hazards(_ sql: String) throws -> (codes: [String], run: MigrationPreview.Run) {
        let dsn = try freshDatabase(Self.schema)
        let run = try MigrationPreview.run(
            sql, contracts: ContractSet(contracts: [], errors: [], fileCount: 0),
            settings: ConnectionSettings(dsn: dsn))
        return (run.hazards.map(\.code.rawValue), run)
    }

    @Test func eachKindOfStatementGivesItsHazard() throws {
        let timeout = "SET lock_timeout = '2s';\n"
        // A widening is done in place: no rewrite, no scan (only the lock, and here lock_timeout is set).
        #expect(try hazards(timeout + "ALTER TABLE orders ALTER COLUMN note TYPE varchar(100);").codes == [])
        #expect(try hazards(timeout + "ALTER TABLE orders ALTER COLUMN note TYPE text;").codes == [])
        let rewrite = try hazards(timeout + "ALTER TABLE orders ALTER COLUMN amount TYPE bigint;")
        #expect(rewrite.codes == ["CW101"])
        #expect(rewrite.run.hazards.first?.detail.contains("rewrites public.orders (") == true)
        #expect(rewrite.run.hazards.first?.detail.contains("~2.0k rows) under ACCESS EXCLUSIVE") == true)
        #expect(rewrite.run.hazards.first?.line == 2)
        #expect(try hazards(timeout + "ALTER TABLE orders ALTER COLUMN amount SET NOT NULL;").codes == ["CW102"])
        #expect(try hazards(timeout + "ALTER TABLE orders ADD CHECK (amount > 0);").codes == ["CW102"])
        #expect(try hazards(timeout + "ALTER TABLE orders ADD CHECK (amount > 0) NOT VALID;").codes == [])
        #expect(try hazards(timeout + "CREATE INDEX ON orders (note);").codes == ["CW103"])
        #expect(try hazards(timeout + "ALTER TABLE orders DROP COLUMN note;").codes == ["CW105"])
        #expect(try hazards(timeout + "DROP TABLE customers;").codes == ["CW105"])
        #expect(try hazards(timeout + "ALTER TABLE orders RENAME COLUMN note TO remark;").codes == ["CW106"])
        let key = try hazards(timeout + "ALTER TABLE orders ADD COLUMN customer_id integer REFERENCES customers (id);")
        #expect(key.codes.contains("CW107"), "\(key.codes)")
        let indexed = try hazards(
            timeout + "ALTER TABLE orders ADD COLUMN customer_id integer;\nCREATE INDEX ON orders (customer_id);\n"
                + "ALTER TABLE orders ADD FOREIGN KEY (customer_id) REFERENCES customers (id);")
        #expect(!indexed.codes.contains("CW107"), "\(indexed.codes)")
        // Without lock_timeout, the first blocking lock on an existing table is flagged once.
        #expect(
            try hazards("ALTER TABLE orders ADD COLUMN a int;\nALTER TABLE orders ADD COLUMN b int;").codes == ["CW104"]
        )
        // A data statement reading a table an earlier statement locked is no validation scan.
        #expect(
            try hazards(
                timeout + "ALTER TABLE orders ADD COLUMN c int;\nCREATE TABLE copy AS SELECT * FROM orders;\n"
                    + "INSERT INTO copy SELECT * FROM orders;\nUPDATE orders SET c = 1 WHERE id = 1;"
            ).codes == [])
        // A table the script creates blocks nobody.
        #expect(try hazards("CREATE TABLE fresh (id int);\nCREATE INDEX ON fresh (id);").codes == [])
    }

    /// A key's type change re-checks every foreign key that references it: one CW102 for the
    /// statement, naming each referencing table, largest first (not one per table).
    @Test func revalidatedForeignKeysAreOneHazardLargestFirst() throws {
        let timeout = "SET lock_timeout = '2s';\n"
        let dsn = try freshDatabase(
            Self.schema + """
                CREATE TABLE visits (customer_id integer REFERENCES customers (id));
                CREATE TABLE payments (customer_id integer REFERENCES customers (id));
                INSERT INTO customers SELECT g FROM generate_series(1, 3000) g;
                INSERT INTO payments SELECT g FROM generate_series(1, 3000) g;
                ANALYZE;
                """)
        let changed = try MigrationPreview.run(
            timeout + "ALTER TABLE customers ALTER COLUMN id TYPE bigint;",
            contracts: ContractSet(contracts: [], errors: [], fileCount: 0), settings: ConnectionSettings(dsn: dsn))
        #expect(changed.hazards.map(\.code.rawValue) == ["CW101", "CW102"], "\(changed.hazards)")
        let scan = try #require(changed.hazards.last)
        #expect(scan.relation == QualifiedName(schema: "public", name: "payments"))
        #expect(scan.detail.contains("reads all of 2 tables to validate under "), "\(scan.detail)")
        #expect(scan.detail.contains(": public.payments ("), "largest first: \(scan.detail)")
        #expect(scan.detail.contains("public.visits"))
        #expect(scan.detail.hasSuffix("(the foreign keys that reference a changed column)"))
    }

    @Test func theEffectsOfEachStatementAreReported() throws {
        let (_, run) = try hazards(
            "SET lock_timeout = '2s';\nALTER TABLE orders ALTER COLUMN amount TYPE bigint;\n"
                + "CREATE INDEX ON orders (note);"
        )
        #expect(run.effects.count == 3)
        let rewrite = run.effects[1]
        #expect(rewrite.rewritten == [QualifiedName(schema: "public", name: "orders")])
        #expect(rewrite.locks.contains { $0.relation.name == "orders" && $0.lock.mode == "AccessExclusiveLock" })
        #expect(run.effects[2].scanned == [QualifiedName(schema: "public", name: "orders")])
        #expect(run.effects[0].locks.isEmpty && run.effects[0].rewritten.isEmpty)
    }
}
