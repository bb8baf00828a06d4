import Catalog
import Contracts

/// contracts × catalog snapshot → findings. Pure and deterministic: same input, same output,
/// in contract-file order, then the column order of each contract.
public enum Checker {
    public static func check(_ contracts: ContractSet, against snapshot: CatalogSnapshot) -> CheckResult {
        var violations: [Violation] = []
        var notices: [Notice] = []
        var outcomes: [ContractOutcome] = []

        if contracts.fileCount == 0 {
            notices.append(
                Notice(
                    kind: .emptyContractFolder,
                    detail: "the contracts folder holds no contract files (*.json); nothing was checked"))
        }
        notices.append(contentsOf: duplicates(contracts.contracts))

        for contract in contracts.contracts {
            let result = check(contract, against: snapshot)
            violations.append(contentsOf: result.violations)
            notices.append(contentsOf: result.notices)
            outcomes.append(
                ContractOutcome(
                    contract: contract, name: contract.name, file: contract.file, format: contract.format,
                    schema: contract.table.schema, table: contract.table.name,
                    status: result.violations.isEmpty ? .ok : .violated,
                    relationKind: result.relationKind
                ))
        }
        for file in Set(contracts.errors.map(\.file)).sorted() {
            outcomes.append(
                ContractOutcome(
                    contract: nil, name: contractStem(file), file: file,
                    format: file.hasSuffix(".json") ? .seedJSON : .odcs,
                    schema: nil, table: nil, status: .invalid, relationKind: nil
                ))
        }
        outcomes.sort { $0.file < $1.file }
        return CheckResult(
            database: snapshot.database, contracts: outcomes, contractErrors: contracts.errors,
            violations: violations, notices: notices
        )
    }

    /// The findings for one contract.
    public static func check(_ contract: Contract, against snapshot: CatalogSnapshot) -> (
        violations: [Violation], notices: [Notice], relationKind: RelationKind?
    ) {
        var violations: [Violation] = []
        var notices: [Notice] = []
        let table = contract.qualifiedTable

        func notice(_ kind: NoticeKind, column: String? = nil, _ detail: String) {
            notices.append(
                Notice(
                    contract: contract.name, schema: table.schema, table: table.name, column: column, kind: kind,
                    detail: detail))
        }

        if let catalog = contract.table.catalog, !catalog.isEmpty, catalog != snapshot.database.name {
            // In the words of the contract's own format.
            let key = contract.format == .odcs ? "servers[].database" : "table_catalog"
            notice(
                .catalogMismatch,
                "the contract names database \"\(catalog)\" (\(key)) but the connected database is "
                    + "\"\(snapshot.database.name)\"; checked against \"\(snapshot.database.name)\""
            )
        }

        guard let relation = snapshot.relation(table) else {
            violations.append(
                Violation(
                    contract: contract.name, file: contract.file, schema: table.schema, table: table.name,
                    column: nil, kind: .tableMissing, expected: .present, actual: .absent,
                    severity: .error, breaking: true,
                    message: "Table \(table) is defined in the contract but missing from the database",
                    owner: contract.owner
                ))
            for other in snapshot.relations(namedLike: table.name) where other.name != table {
                if other.name.name == table.name {
                    notice(
                        .tableInOtherSchema,
                        "a \(other.kind.label) named \(QualifiedName.display(table.name)) exists in schema "
                            + "\(QualifiedName.display(other.name.schema)): \(other.name); is "
                            + "\(contract.format == .odcs ? "servers[].schema" : "table_schema") right?"
                    )
                } else {
                    notice(
                        .tableNameCase,
                        "\(other.name) differs only in letter case; PostgreSQL names are case-sensitive once quoted")
                }
            }
            return (
                violations.map { violation in
                    var copy = violation
                    copy.consumers = contract.consumers
                    return copy
                }, notices, nil
            )
        }

        if !relation.kind.isTable {
            notice(.relationKind, "\(table) is a \(relation.kind.label), not a table")
        }

        var missing: [ContractColumn] = []
        // Which of the table's columns the contract describes (by position: no set of names).
        var described = [Bool](repeating: false, count: relation.columns.count)
        for column in contract.columns {
            guard let index = relation.columnIndex(named: column.name) else {
                missing.append(column)
                violations.append(
                    Violation(
                        contract: contract.name, file: contract.file, schema: table.schema, table: table.name,
                        column: column.name, kind: .columnMissing, expected: .present, actual: .absent,
                        severity: .error, breaking: true,
                        message: "Column '\(column.name)' is defined in the contract but missing from \(table)",
                        owner: contract.owner
                    ))
                continue
            }
            described[index] = true
            let actual = relation.columns[index]
            for difference in ColumnComparison.differences(column.expectation, actual) {
                violations.append(
                    Violation(
                        contract: contract.name, file: contract.file, schema: table.schema, table: table.name,
                        column: column.name, kind: difference.kind, expected: difference.expected,
                        actual: difference.actual,
                        severity: difference.breaking ? .error : .warning, breaking: difference.breaking,
                        message: "\(column.name): \(difference.explanation)",
                        owner: contract.owner
                    ))
            }
        }

        var unclaimed = missing
        for (index, column) in relation.columns.enumerated() where !described[index] {
            var detail = "\(column.name) (\(column.formattedType)) is in \(table) but not in the contract"
            if let index = unclaimed.firstIndex(where: { ColumnComparison.couldBeRenamed($0.expectation, to: column) })
            {
                detail += "; it may be the renamed \(unclaimed[index].name)"
                unclaimed.remove(at: index)
            }
            notice(.uncontractedColumn, column: column.name, detail)
        }
        return (
            violations.map { violation in
                var copy = violation
                copy.consumers = contract.consumers
                return copy
            }, notices, relation.kind
        )
    }

    private static func duplicates(_ contracts: [Contract]) -> [Notice] {
        // Indices, not copies of the contracts; only the groups of two or more are sorted.
        var byTable: [QualifiedName: [Int]] = [:]
        var byName: [String: [Int]] = [:]
        for (index, contract) in contracts.enumerated() {
            byTable[contract.qualifiedTable, default: []].append(index)
            byName[contract.name, default: []].append(index)
        }
        var notices: [Notice] = []
        for (table, group) in byTable.filter({ $0.value.count > 1 }).sorted(by: { $0.key < $1.key }) {
            notices.append(
                Notice(
                    contract: contracts[group[0]].name, schema: table.schema, table: table.name,
                    kind: .duplicateTableContract,
                    detail: "\(group.count) contracts describe \(table): "
                        + group.map { contracts[$0].file }.joined(separator: ", ")
                ))
        }
        for (name, group) in byName.filter({ $0.value.count > 1 }).sorted(by: { $0.key < $1.key }) {
            notices.append(
                Notice(
                    contract: name, kind: .duplicateContractName,
                    detail: "\(group.count) files use the contract name \"\(name)\": "
                        + group.map { contracts[$0].file }.joined(separator: ", ")
                ))
        }
        return notices
    }
}
