import Catalog
import Contracts

/// Writes a contract for a live table with its current shape as the baseline (the book's way to
/// start a contract), in either format. Pure: the caller reads the catalog and writes the file.
/// A contract written here holds against the table it was written from.
public enum ContractTemplate {
    public enum Format: String, Sendable, CaseIterable {
        case seed
        case odcs
    }

    /// Where the contracts' tables live, as ODCS `servers[]` states it (host and port are
    /// required for a postgres server by the ODCS v3 JSON schema).
    public struct Server: Sendable, Hashable {
        public var database: String
        public var host: String
        public var port: Int

        public init(database: String, host: String, port: Int) {
            self.database = database
            self.host = host
            self.port = port
        }
    }

    /// The file name for a table: `object_images.json`, `sales.orders.odcs.yaml`.
    public static func fileName(for table: QualifiedName, format: Format) -> String {
        let base = (table.schema == "public" ? table.name : "\(table.schema).\(table.name)")
            .map {
                "/\\ ".contains($0)
                    || $0.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) } ? "_" : $0
            }
        return String(base) + (format == .seed ? ".json" : ".odcs.yaml")
    }

    /// A file name per table, none equal to another or to a file in `existing` when letter case
    /// is ignored (`dotted."table"` and `public."dotted.table"` both make `dotted.table.json`;
    /// `Orders` and `orders` are one file on a case-insensitive disk). A clash gets `-2`, `-3`…
    /// before the extension; `existing` files named exactly are kept (the caller refuses or
    /// overwrites them), so a rerun writes the same names.
    public static func fileNames(for tables: [QualifiedName], format: Format, existing: Set<String>) -> [(
        table: QualifiedName, file: String, renamedFrom: String?
    )] {
        let existingFolded = Dictionary(existing.map { ($0.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
        var taken: Set<String> = []
        return tables.map { table in
            let natural = fileName(for: table, format: format)
            let suffix = format == .seed ? ".json" : ".odcs.yaml"
            let stem = String(natural.dropLast(suffix.count))
            var candidate = natural
            var counter = 1
            func clashes(_ name: String) -> Bool {
                let folded = name.lowercased()
                if taken.contains(folded) { return true }
                if let other = existingFolded[folded], other != name { return true }
                return false
            }
            while clashes(candidate) {
                counter += 1
                candidate = "\(stem)-\(counter)\(suffix)"
            }
            taken.insert(candidate.lowercased())
            return (table, candidate, candidate == natural ? nil : natural)
        }
    }

    public static func render(_ relation: Relation, server: Server, owner: Owner?, format: Format) -> String {
        switch format {
        case .seed: seed(relation, database: server.database, owner: owner)
        case .odcs: odcs(relation, server: server, owner: owner)
        }
    }

    static func contractName(_ table: QualifiedName) -> String {
        (table.schema == "public" ? table.name : "\(table.schema)-\(table.name)") + "-contract"
    }

    // MARK: - Seed JSON

    static func seed(_ relation: Relation, database: String, owner: Owner?) -> String {
        let properties: [(String, JSONText)] = relation.columns.map { column in
            var constraints: [(String, JSONText)] = [
                ("primaryKey", .bool(column.isPrimaryKey)),
                ("data_type", .string(column.dataType)),
            ]
            constraints += modifiers(column.modifiers, of: column.dataType)
            if let domain = column.domain { constraints.append(("domain_name", .string(domain.name))) }
            if let type = column.userType { constraints.append(("udt_name", .string(type.name))) }
            constraints.append(("is_nullable", .bool(column.isNullable)))
            constraints.append(("is_updatable", .bool(column.isUpdatable)))
            var property: [(String, JSONText)] = []
            if let comment = column.comment { property.append(("description", .string(comment))) }
            property.append(("constraints", .object(constraints)))
            if let element = column.arrayElementType {
                let facets = modifiers(column.elementModifiers ?? TypeModifiers(), of: element)
                property.append(("array_element", .object([("data_type", .string(element))] + facets)))
            }
            return (column.name, .object(property))
        }
        var root: [(String, JSONText)] = [
            ("spec-version", .string("1.0.0")),
            ("name", .string(contractName(relation.name))),
            (
                "dataAssetResourceName",
                .string("postgresql://\(database).\(relation.name.schema).\(relation.name.name)")
            ),
            (
                "doc",
                .string(
                    relation.comment
                        ?? "Data contract for \(relation.name), generated from the live catalog by contractwatch init.")
            ),
        ]
        if let owner {
            root.append(("owner", .object([("name", .optional(owner.name)), ("email", .optional(owner.email))])))
        }
        root.append(
            (
                "schema",
                .object([
                    ("$schema", .string("https://json-schema.org/draft/2020-12/schema")),
                    ("title", .string("\(relation.name.name) table schema")),
                    ("table_catalog", .string(database)),
                    ("table_schema", .string(relation.name.schema)),
                    ("table_name", .string(relation.name.name)),
                    ("properties", .object(properties)),
                ])
            ))
        return JSONText.object(root).rendered() + "\n"
    }

    /// The modifiers of a type, with "unlimited" where the type takes a limit it does not have
    /// (`varchar`, `numeric`, an interval with every field): narrowing those is a violation.
    static func modifiers(_ m: TypeModifiers, of dataType: String) -> [(String, JSONText)] {
        func limit(_ value: Int?) -> JSONText { value.map { .int($0) } ?? .string("unlimited") }
        var facets: [(String, JSONText)] = []
        if ["character varying", "character", "bit", "bit varying"].contains(dataType) {
            facets.append(("character_maximum_length", limit(m.characterMaximumLength)))
        }
        if dataType == "numeric" {
            facets.append(("numeric_precision", limit(m.numericPrecision)))
            facets.append(("numeric_scale", limit(m.numericScale)))
        } else {
            if let n = m.numericPrecision { facets.append(("numeric_precision", .int(n))) }
            if let n = m.numericScale { facets.append(("numeric_scale", .int(n))) }
        }
        if let n = m.datetimePrecision { facets.append(("datetime_precision", .int(n))) }
        if dataType == "interval" {
            facets.append(("interval_type", m.intervalType.map { .string($0) } ?? .string("unlimited")))
        }
        return facets
    }

    // MARK: - ODCS YAML

    static func odcs(_ relation: Relation, server: Server, owner: Owner?) -> String {
        let database = server.database
        func q(_ text: String) -> String { JSONText.string(text).rendered() } // JSON strings are valid YAML
        var lines: [String] = [
            "# Generated from the live catalog by contractwatch init; edit freely.",
            "apiVersion: v3.1.0",
            "kind: DataContract",
            "id: \(q(contractName(relation.name)))",
            "name: \(q(contractName(relation.name)))",
            "version: 1.0.0",
            "status: active",
        ]
        if let comment = relation.comment { lines += ["description:", "  purpose: \(q(comment))"] }
        lines += [
            "servers:", "  - server: \(q(database))", "    type: postgres", "    host: \(q(server.host))",
            "    port: \(server.port)",
            "    database: \(q(database))", "    schema: \(q(relation.name.schema))",
        ]
        if let owner {
            lines += ["team:", "  name: \(q(owner.name ?? owner.email ?? "owner"))", "  members:"]
            lines += ["    - username: \(q(owner.email ?? owner.name ?? "owner"))", "      role: owner"]
            if let name = owner.name { lines.append("      name: \(q(name))") }
        }
        lines += [
            "schema:", "  - name: \(q(relation.name.name))", "    physicalName: \(q(relation.name.name))",
            "    physicalType: \(relation.kind.isTable ? "table" : relation.kind == .view ? "view" : "table")",
            relation.columns.isEmpty ? "    properties: []" : "    properties:",
        ]
        for column in relation.columns {
            lines.append("      - name: \(q(column.name))")
            if let comment = column.comment { lines.append("        description: \(q(comment))") }
            // PostgreSQL's own format_type text (`character varying(40)`, `numeric(5,-2)`,
            // `interval day to second(2)`, `year`, `"Name"`, `mood[]`): PhysicalType reads it
            // back as exactly this column's facets.
            lines.append("        physicalType: \(q(column.formattedType))")
            lines.append("        required: \(!column.isNullable)")
            lines.append("        primaryKey: \(column.isPrimaryKey)")
            if let position = column.primaryKeyPosition, relation.primaryKey.count > 1 {
                lines.append("        primaryKeyPosition: \(position)")
            }
            if column.isUnique && !column.isPrimaryKey { lines.append("        unique: true") }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
