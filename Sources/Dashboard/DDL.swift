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
        if let type = e.dataType {
            parts.append(type == "ARRAY" || type.lowercased() == "array" ? "ARRAY of \(e.arrayElementType ?? "any")" : type)
        } else if let element = e.arrayElementType {
            parts.append("ARRAY of \(element)")
        }
        if let n = e.characterMaximumLength { parts.append("length \(n)") }
        if let n = e.numericPrecision { parts.append("precision \(n)") }
        if let n = e.numericScale { parts.append("scale \(n)") }
        if let n = e.datetimePrecision { parts.append("datetime precision \(n)") }
        if let nullable = e.isNullable { parts.append(nullable ? "null" : "not null") }
        if let pk = e.primaryKey { parts.append(pk ? "PK" : "not PK") }
        if let updatable = e.isUpdatable, !updatable { parts.append("read-only") }
        return parts.isEmpty ? "(must exist)" : parts.joined(separator: ", ")
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
    static func facets(_ e: ColumnExpectation, _ c: CatalogColumn?) -> [(name: String, expected: String, actual: String?)] {
        func text(_ value: Int?) -> String { value.map(String.init) ?? "null" }
        var facets: [(String, String, String?)] = []
        if let v = e.dataType { facets.append(("data_type", v, c?.dataType)) }
        if let v = e.arrayElementType { facets.append(("array_element.data_type", v, c.map { $0.arrayElementType ?? "null" })) }
        if let v = e.characterMaximumLength { facets.append(("character_maximum_length", String(v), c.map { text($0.characterMaximumLength) })) }
        if let v = e.numericPrecision { facets.append(("numeric_precision", String(v), c.map { text($0.numericPrecision) })) }
        if let v = e.numericScale { facets.append(("numeric_scale", String(v), c.map { text($0.numericScale) })) }
        if let v = e.datetimePrecision { facets.append(("datetime_precision", String(v), c.map { text($0.datetimePrecision) })) }
        if let v = e.isNullable { facets.append(("is_nullable", String(v), c.map { String($0.isNullable) })) }
        if let v = e.isUpdatable { facets.append(("is_updatable", String(v), c.map { String($0.isUpdatable) })) }
        if let v = e.primaryKey { facets.append(("primaryKey", String(v), c.map { String($0.isPrimaryKey) })) }
        return facets.map { (name: $0.0, expected: $0.1, actual: $0.2) }
    }

    /// One column as a DDL line from the contract: `name type NOT NULL PRIMARY KEY`.
    static func contractLine(_ column: ContractColumn) -> String {
        let e = column.expectation
        var type = e.dataType.map { DataTypeVocabulary.canonical($0) ?? $0 } ?? "‹any type›"
        if type == "ARRAY" { type = (e.arrayElementType ?? "‹any›") + "[]" }
        if let n = e.characterMaximumLength { type += "(\(n))" }
        if type == "numeric", let p = e.numericPrecision { type += e.numericScale.map { "(\(p),\($0))" } ?? "(\(p))" }
        if let p = e.datetimePrecision, type.hasPrefix("time") { type += "(\(p))" }
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
    public static func diff(violation: Violation, contract: Contract?, relation: Relation?, violatedColumns: Set<String>, database: String) -> [Line] {
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
                    lines.append(Line(text: "-  column \(QualifiedName.display(columnName)) present", role: .diffRemoved))
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
        guard let relation else {
            lines.append(Line(text: "-  CREATE TABLE \(table) (", role: .diffRemoved))
            for column in contract.columns {
                lines.append(Line(text: "-      \(contractLine(column)),", role: .diffRemoved))
            }
            lines.append(Line(text: "-  );", role: .diffRemoved))
            lines.append(Line(text: "+  (no relation \(table) in the database)", role: .diffAdded))
            return lines
        }
        let keyword = relation.kind.isTable ? "TABLE" : relation.kind.label.uppercased()
        lines.append(Line(text: "   CREATE \(keyword) \(table) (", role: .diffContext))
        for column in contract.columns {
            let marker = column.name == violation.column ? "◀" : ""
            if let actual = relation.column(named: column.name) {
                if violatedColumns.contains(column.name) {
                    lines.append(Line(text: "-      \(contractLine(column)), \(marker)", role: .diffRemoved))
                    lines.append(Line(text: "+      \(catalogLine(actual)), \(marker)", role: .diffAdded))
                } else {
                    lines.append(Line(text: "       \(catalogLine(actual)),", role: .diffContext))
                }
            } else {
                lines.append(Line(text: "-      \(contractLine(column)), \(marker)", role: .diffRemoved))
            }
        }
        let described = Set(contract.columns.map(\.name))
        for column in relation.columns where !described.contains(column.name) {
            lines.append(Line(text: "+      \(catalogLine(column)),   (not in contract)", role: .diffAdded))
        }
        lines.append(Line(text: "   );", role: .diffContext))
        return lines.map { Line(text: $0.text.hasSuffix(" ") ? String($0.text.dropLast()) : $0.text, role: $0.role) }
    }

    static func same(_ facet: String, _ expected: String, _ actual: String) -> Bool {
        if facet == "data_type" || facet == "array_element.data_type" {
            return DataTypeVocabulary.matches(expected: expected, actual: actual)
        }
        return expected == actual
    }
}
