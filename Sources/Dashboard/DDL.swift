import Catalog
import Checks
import Contracts

/// Renders contract expectations and catalog columns in one vocabulary, and diffs them.
public enum DDL {
    public struct Line: Sendable, Hashable {
        public var text: String
        public var role: Role
    }

    /// `integer, precision 32, not null, PK` — only what the contract states.
    public static func expectedShape(_ e: ColumnExpectation) -> String {
        var parts: [String] = []
        if let name = e.typeName {
            parts.append(name.description)
        } else if let type = e.dataType {
            parts.append(
                type == "ARRAY" || type.lowercased() == "array"
                    ? "ARRAY of \(e.elementTypeName?.description ?? e.arrayElementType ?? "any")" : type)
        } else if let element = e.elementTypeName?.description ?? e.arrayElementType {
            parts.append("ARRAY of \(element)")
        }
        if let domain = e.domainName { parts.append("domain \(domain)") }
        if let udt = e.udtName { parts.append("type \(udt)") }
        parts += modifierFacets(e.modifiers).map { "\($0.label) \($0.value)" }
        parts += modifierFacets(e.elementModifiers).map { "element \($0.label) \($0.value)" }
        if let nullable = e.isNullable { parts.append(nullable ? "null" : "not null") }
        if let pk = e.primaryKey { parts.append(pk ? "PK" : "not PK") }
        if let updatable = e.isUpdatable, !updatable { parts.append("read-only") }
        return parts.isEmpty ? "(must exist)" : parts.joined(separator: ", ")
    }

    /// The modifiers a contract states, as (facet key, short label, value) in the contract's words.
    static func modifierFacets(_ m: ModifierExpectation) -> [(key: String, label: String, value: String)] {
        func text(_ limit: Limit<Int>) -> String { limit.value.map(String.init) ?? "unlimited" }
        var facets: [(String, String, String)] = []
        if let v = m.characterMaximumLength { facets.append(("character_maximum_length", "length", text(v))) }
        if let v = m.numericPrecision { facets.append(("numeric_precision", "precision", text(v))) }
        if let v = m.numericScale { facets.append(("numeric_scale", "scale", text(v))) }
        if let v = m.datetimePrecision { facets.append(("datetime_precision", "datetime precision", String(v))) }
        if let v = m.intervalType { facets.append(("interval_type", "fields", v.value ?? "unlimited")) }
        return facets.map { (key: $0.0, label: $0.1, value: $0.2) }
    }

    /// The same modifiers as the catalog has them (nil: no limit).
    static func modifierValue(_ key: String, _ m: TypeModifiers) -> String {
        func text(_ value: Int?) -> String { value.map(String.init) ?? "unlimited" }
        return switch key {
        case "character_maximum_length": text(m.characterMaximumLength)
        case "numeric_precision": text(m.numericPrecision)
        case "numeric_scale": text(m.numericScale)
        case "datetime_precision": m.datetimePrecision.map(String.init) ?? "null"
        default: m.intervalType ?? "unlimited"
        }
    }

    /// `character varying(40), not null, PK`
    public static func actualShape(_ c: CatalogColumn) -> String {
        var parts = [c.formattedType]
        parts.append(c.isNullable ? "null" : "not null")
        if c.isPrimaryKey { parts.append("PK") }
        if !c.isUpdatable { parts.append("read-only") }
        return parts.joined(separator: ", ")
    }

    /// The facets a contract states, as `name: value` lines, with the catalog's values beside.
    static func facets(_ e: ColumnExpectation, _ c: CatalogColumn?) -> [(
        name: String, expected: String, actual: String?
    )] {
        var facets: [(String, String, String?)] = []
        if let v = e.typeName {
            facets.append(("type", v.description, c.map { $0.domain?.description ?? $0.formattedType }))
        }
        if let v = e.dataType, e.typeName == nil { facets.append(("data_type", v, c?.dataType)) }
        if let v = e.domainName { facets.append(("domain_name", v, c.map { $0.domain?.name ?? "null" })) }
        if let v = e.udtName { facets.append(("udt_name", v, c.map { $0.userType?.name ?? $0.dataType })) }
        if let v = e.elementTypeName {
            facets.append(
                (
                    "array_element.type", v.description,
                    c.map { $0.elementUserType?.description ?? $0.arrayElementType ?? "null" }
                ))
        }
        if let v = e.arrayElementType, e.elementTypeName == nil {
            facets.append(("array_element.data_type", v, c.map { $0.arrayElementType ?? "null" }))
        }
        for facet in modifierFacets(e.modifiers) {
            facets.append((facet.key, facet.value, c.map { modifierValue(facet.key, $0.modifiers) }))
        }
        for facet in modifierFacets(e.elementModifiers) {
            facets.append(
                (
                    "array_element." + facet.key, facet.value,
                    c.map { modifierValue(facet.key, $0.elementModifiers ?? TypeModifiers()) }
                ))
        }
        if let v = e.isNullable { facets.append(("is_nullable", String(v), c.map { String($0.isNullable) })) }
        if let v = e.isUpdatable { facets.append(("is_updatable", String(v), c.map { String($0.isUpdatable) })) }
        if let v = e.primaryKey { facets.append(("primaryKey", String(v), c.map { String($0.isPrimaryKey) })) }
        return facets.map { (name: $0.0, expected: $0.1, actual: $0.2) }
    }

    /// A type with the modifiers a contract states, as DDL writes it (`character varying(10)`).
    static func typeText(_ dataType: String?, _ name: TypeName?, _ m: ModifierExpectation) -> String {
        if let name { return name.description }
        var type = dataType.map { DataTypeVocabulary.canonical($0) ?? $0 } ?? "‹any type›"
        let interval = m.intervalType?.value.map { " " + $0.lowercased() } ?? ""
        if type == "interval" { type += interval }
        if let n = m.characterMaximumLength?.value { type += "(\(n))" }
        if type == "numeric", let p = m.numericPrecision?.value {
            type += m.numericScale?.value.map { "(\(p),\($0))" } ?? "(\(p))"
        }
        if let p = m.datetimePrecision, p != 6 {
            if type.hasPrefix("time"), let space = type.firstIndex(of: " ") {
                type.insert(contentsOf: "(\(p))", at: space) // timestamp(3) without time zone
            } else if type.hasPrefix("interval") {
                type += "(\(p))"
            }
        }
        return type
    }

    /// One column as a DDL line from the contract: `name type NOT NULL PRIMARY KEY`.
    static func contractLine(_ column: ContractColumn) -> String {
        let e = column.expectation
        var type = typeText(e.dataType, e.typeName, e.modifiers)
        if type == "ARRAY" {
            type = typeText(e.arrayElementType ?? "‹any›", e.elementTypeName, e.elementModifiers) + "[]"
        }
        var line = QualifiedName.display(column.name) + " " + type
        if e.isNullable == false { line += " NOT NULL" }
        if e.primaryKey == true { line += " PRIMARY KEY" }
        return line
    }

    /// One column as a DDL line from the catalog.
    static func catalogLine(_ column: CatalogColumn) -> String {
        var line = QualifiedName.display(column.name) + " " + column.formattedType
        if !column.isNullable { line += " NOT NULL" }
        if column.isPrimaryKey { line += " PRIMARY KEY" }
        return line
    }

    /// The violation's column diff, then the whole table as DDL, `-` contract / `+` catalog.
    /// `violatedColumns`: the contract's columns with any violation (marked `-`/`+` in the DDL).
    public static func diff(
        violation: Violation, contract: Contract?, relation: Relation?, violatedColumns: Set<String>, database: String
    ) -> [Line] {
        var lines: [Line] = []
        let table = violation.qualifiedTable
        lines.append(Line(text: "--- contract  \(violation.contract)  (\(violation.file))", role: .diffHeader))
        lines.append(Line(text: "+++ catalog   \(table)  (database \(database))", role: .diffHeader))

        if let columnName = violation.column, let column = contract?.columns.first(where: { $0.name == columnName }) {
            let actual = relation?.column(named: columnName)
            lines.append(Line(text: "@@ column \(QualifiedName.display(columnName)) @@", role: .diffHeader))
            if actual == nil {
                for facet in facets(column.expectation, nil) {
                    lines.append(Line(text: "-  \(facet.name): \(facet.expected)", role: .diffRemoved))
                }
                if column.expectation == ColumnExpectation() {
                    lines.append(
                        Line(text: "-  column \(QualifiedName.display(columnName)) present", role: .diffRemoved))
                }
                lines.append(Line(text: "+  (column absent from \(table))", role: .diffAdded))
            } else {
                for facet in facets(column.expectation, actual) {
                    if facet.actual.map({ same(facet.name, facet.expected, $0) }) ?? false {
                        lines.append(Line(text: "   \(facet.name): \(facet.expected)", role: .diffContext))
                    } else {
                        lines.append(Line(text: "-  \(facet.name): \(facet.expected)", role: .diffRemoved))
                        lines.append(Line(text: "+  \(facet.name): \(facet.actual ?? "absent")", role: .diffAdded))
                    }
                }
            }
            lines.append(Line(text: "", role: .diffContext))
        }

        lines.append(Line(text: "@@ table \(table) as DDL @@", role: .diffHeader))
        guard let contract else { return lines }
        // After the three-character diff prefix every line is valid SQL: commas between columns
        // only, and the markers are SQL comments.
        typealias Part = (prefix: String, sql: String, comment: String?, role: Role)
        var entries: [[Part]] = []
        guard let relation else {
            lines.append(Line(text: "-  CREATE TABLE \(table) (", role: .diffRemoved))
            entries = contract.columns.map { [("-  ", contractLine($0), nil, .diffRemoved)] }
            lines += render(entries)
            lines.append(Line(text: "-  );", role: .diffRemoved))
            lines.append(Line(text: "+  -- no relation \(table) in the database", role: .diffAdded))
            return lines
        }
        let keyword = relation.kind.isTable ? "TABLE" : relation.kind.label.uppercased()
        lines.append(Line(text: "   CREATE \(keyword) \(table) (", role: .diffContext))
        for column in contract.columns {
            let marker = column.name == violation.column ? "◀ this finding" : nil
            if let actual = relation.column(named: column.name) {
                if violatedColumns.contains(column.name) {
                    entries.append([
                        ("-  ", contractLine(column), marker, .diffRemoved),
                        ("+  ", catalogLine(actual), marker, .diffAdded),
                    ])
                } else {
                    entries.append([("   ", catalogLine(actual), nil, .diffContext)])
                }
            } else {
                entries.append([("-  ", contractLine(column), marker ?? "not in the table", .diffRemoved)])
            }
        }
        let described = Set(contract.columns.map(\.name))
        for column in relation.columns where !described.contains(column.name) {
            entries.append([("+  ", catalogLine(column), "not in the contract", .diffAdded)])
        }
        lines += render(entries)
        lines.append(Line(text: "   );", role: .diffContext))
        return lines
    }

    /// Column lines of a CREATE TABLE. Each side of the diff (`-` and context: the contract;
    /// `+` and context: the catalog) must read as SQL on its own, so a line has a comma when a
    /// later line of its side follows; a context line whose two sides disagree about that is
    /// written once per side.
    private static func render(_ entries: [[(prefix: String, sql: String, comment: String?, role: Role)]]) -> [Line] {
        func sides(_ prefix: String) -> (contract: Bool, catalog: Bool) {
            (prefix != "+  ", prefix != "-  ")
        }
        var lines: [Line] = []
        for (index, entry) in entries.enumerated() {
            let later = entries[(index + 1)...].flatMap { $0 }.map { sides($0.prefix) }
            let contractFollows = later.contains { $0.contract }
            let catalogFollows = later.contains { $0.catalog }
            for part in entry {
                let comment = part.comment.map { "  -- " + $0 } ?? ""
                func line(_ prefix: String, _ comma: Bool, _ role: Role) -> Line {
                    Line(text: prefix + "    " + part.sql + (comma ? "," : "") + comment, role: role)
                }
                switch part.prefix {
                case "-  ": lines.append(line(part.prefix, contractFollows, part.role))
                case "+  ": lines.append(line(part.prefix, catalogFollows, part.role))
                default:
                    if contractFollows == catalogFollows {
                        lines.append(line(part.prefix, contractFollows, part.role))
                    } else {
                        lines.append(line("-  ", contractFollows, .diffRemoved))
                        lines.append(line("+  ", catalogFollows, .diffAdded))
                    }
                }
            }
        }
        return lines
    }

    static func same(_ facet: String, _ expected: String, _ actual: String) -> Bool {
        if facet == "type" || facet == "array_element.type" {
            return expected == actual || expected.lowercased() == actual
        }
        if facet == "data_type" || facet == "array_element.data_type" {
            return DataTypeVocabulary.matches(expected: expected, actual: actual)
        }
        return expected == actual
    }
}
