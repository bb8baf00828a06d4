import Foundation

/// SQL for a synthetic catalog that looks like a real application's: several schemas (one
/// mixed-case), a mix of types (arrays, numerics, timestamps with precision, jsonb, uuid),
/// composite keys, comments, views and partitioned tables, a few unicode names.
enum SyntheticCatalog {
    static let schemas = ["public", "sales", "Inventory", "analytics"]

    static func tableName(_ index: Int) -> String {
        index % 97 == 0 ? "tbl_ü_\(index)" : "t_\(index)"
    }

    static func qualified(_ index: Int) -> (schema: String, table: String) {
        (schemas[index % schemas.count], tableName(index))
    }

    static func quote(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `CREATE` statements for `count` tables, in chunks so each script stays small.
    static func sql(tables count: Int) -> [String] {
        var chunks: [String] = [
            schemas.filter { $0 != "public" }.map { "CREATE SCHEMA \(quote($0));" }.joined(separator: "\n")
        ]
        var chunk = ""
        for index in 0..<count {
            let (schema, table) = qualified(index)
            let name = "\(quote(schema)).\(quote(table))"
            let composite = index % 5 == 0
            var columns = [
                "id bigint NOT NULL", "region text NOT NULL", "name varchar(\(20 + index % 200))",
                "amount numeric(\(10 + index % 8),2)",
                "created_at timestamp(3) NOT NULL DEFAULT now()", "updated_at timestamptz",
                "active boolean DEFAULT true",
                "payload jsonb", "tags text[]", "scores integer[]", "day date", "ref uuid",
            ]
            columns.append(composite ? "PRIMARY KEY (id, region)" : "PRIMARY KEY (id)")
            if index % 50 == 1 {
                chunk +=
                    "CREATE TABLE \(name) (\(columns.dropLast().joined(separator: ", ")), PRIMARY KEY (id, "
                    + "created_at)) PARTITION BY RANGE (created_at);\n"
                chunk +=
                    "CREATE TABLE \(quote(schema)).\(quote(table + "_2025")) PARTITION OF \(name) FOR VALUES FROM "
                    + "('2025-01-01') TO ('2026-01-01');\n"
                chunk +=
                    "CREATE TABLE \(quote(schema)).\(quote(table + "_2026")) PARTITION OF \(name) FOR VALUES FROM "
                    + "('2026-01-01') TO ('2027-01-01');\n"
            } else {
                chunk += "CREATE TABLE \(name) (\(columns.joined(separator: ", ")));\n"
            }
            if index % 3 == 0 {
                chunk += "COMMENT ON TABLE \(name) IS 'synthetic table \(index)';\n"
                chunk += "COMMENT ON COLUMN \(name).name IS 'display name';\n"
            }
            if index % 20 == 0 {
                chunk +=
                    "CREATE VIEW \(quote(schema)).\(quote("v_" + table)) AS SELECT id, name, amount FROM \(name);\n"
            }
            if index % 500 == 499 {
                chunks.append(chunk)
                chunk = ""
            }
        }
        if !chunk.isEmpty { chunks.append(chunk) }
        return chunks
    }
}
