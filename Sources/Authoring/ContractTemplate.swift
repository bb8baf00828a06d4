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

    /// The file name for a table: `object_images.json`, `sales.orders.odcs.yaml`.
    public static func fileName(for table: QualifiedName, format: Format) -> String {
        let base = (table.schema == "public" ? table.name : "\(table.schema).\(table.name)")
            .map { "/\\ \t\n".contains($0) ? "_" : $0 }
        return String(base) + (format == .seed ? ".json" : ".odcs.yaml")
    }

    public static func render(_ relation: Relation, database: String, owner: Owner?, format: Format) -> String {
        switch format {
        case .seed: seed(relation, database: database, owner: owner)
        case .odcs: odcs(relation, database: database, owner: owner)
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
            if let n = column.characterMaximumLength { constraints.append(("character_maximum_length", .int(n))) }
            if let n = column.numericPrecision { constraints.append(("numeric_precision", .int(n))) }
            if let n = column.numericScale { constraints.append(("numeric_scale", .int(n))) }
            if let n = column.datetimePrecision { constraints.append(("datetime_precision", .int(n))) }
            constraints.append(("is_nullable", .bool(column.isNullable)))
            constraints.append(("is_updatable", .bool(column.isUpdatable)))
            var property: [(String, JSONText)] = []
            if let comment = column.comment { property.append(("description", .string(comment))) }
            property.append(("constraints", .object(constraints)))
            if let element = column.arrayElementType { property.append(("array_element", .object([("data_type", .string(element))]))) }
            return (column.name, .object(property))
        }
        var root: [(String, JSONText)] = [
            ("spec-version", .string("1.0.0")),
            ("name", .string(contractName(relation.name))),
            ("dataAssetResourceName", .string("postgresql://\(database).\(relation.name.schema).\(relation.name.name)")),
            ("doc", .string(relation.comment ?? "Data contract for \(relation.name), generated from the live catalog by contractwatch init.")),
        ]
        if let owner {
            root.append(("owner", .object([("name", .optional(owner.name)), ("email", .optional(owner.email))])))
        }
        root.append(("schema", .object([
            ("$schema", .string("https://json-schema.org/draft/2020-12/schema")),
            ("title", .string("\(relation.name.name) table schema")),
            ("table_catalog", .string(database)),
            ("table_schema", .string(relation.name.schema)),
            ("table_name", .string(relation.name.name)),
            ("properties", .object(properties)),
        ])))
        return JSONText.object(root).rendered() + "\n"
    }

    // MARK: - ODCS YAML

    /// The `physicalType` that reads back as exactly this column's information_schema facets.
    public static func physicalType(_ column: CatalogColumn) -> String {
        switch column.dataType {
        case "ARRAY":
            guard let element = column.arrayElementType, element != "USER-DEFINED" else { return column.formattedType }
            return element + "[]"
        case "USER-DEFINED":
            return column.formattedType
        case "character varying", "character", "bit", "bit varying":
            return column.characterMaximumLength.map { "\(column.dataType)(\($0))" } ?? column.dataType
        case "numeric":
            guard let precision = column.numericPrecision else { return "numeric" }
            return "numeric(\(precision),\(column.numericScale ?? 0))"
        case "timestamp without time zone", "timestamp with time zone", "time without time zone", "time with time zone":
            guard let precision = column.datetimePrecision else { return column.dataType }
            let parts = column.dataType.split(separator: " ", maxSplits: 1)
            return "\(parts[0])(\(precision)) \(parts.count > 1 ? parts[1] : "")"
        case "interval":
            return column.datetimePrecision.map { "interval(\($0))" } ?? "interval"
        default:
            return column.dataType
        }
    }

    static func odcs(_ relation: Relation, database: String, owner: Owner?) -> String {
        func q(_ text: String) -> String { JSONText.string(text).rendered() }  // JSON strings are valid YAML
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
        lines += ["servers:", "  - server: \(q(database))", "    type: postgres", "    database: \(q(database))", "    schema: \(q(relation.name.schema))"]
        if let owner {
            lines += ["team:", "  name: \(q(owner.name ?? owner.email ?? "owner"))", "  members:"]
            lines += ["    - username: \(q(owner.email ?? owner.name ?? "owner"))", "      role: owner"]
            if let name = owner.name { lines.append("      name: \(q(name))") }
        }
        lines += ["schema:", "  - name: \(q(relation.name.name))", "    physicalName: \(q(relation.name.name))",
                  "    physicalType: \(relation.kind.isTable ? "table" : relation.kind == .view ? "view" : "table")", "    properties:"]
        for column in relation.columns {
            lines.append("      - name: \(q(column.name))")
            if let comment = column.comment { lines.append("        description: \(q(comment))") }
            lines.append("        physicalType: \(q(physicalType(column)))")
            lines.append("        required: \(!column.isNullable)")
            lines.append("        primaryKey: \(column.isPrimaryKey)")
            if let position = column.primaryKeyPosition, relation.primaryKey.count > 1 { lines.append("        primaryKeyPosition: \(position)") }
            if column.isUnique && !column.isPrimaryKey { lines.append("        unique: true") }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
