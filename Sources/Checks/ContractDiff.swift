import Catalog
import Contracts

/// One change between two versions of a contract, classified from its consumers' side: a
/// promise removed or loosened breaks them; an addition or a tightening does not.
public struct ContractChange: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case contractRemoved = "contract_removed"
        case contractAdded = "contract_added"
        case tableRenamed = "table_renamed"
        case columnRemoved = "column_removed"
        case columnAdded = "column_added"
        case columnRenamed = "column_renamed"
        case typeChanged = "type_changed"
        case typeNarrowed = "type_narrowed"
        case limitLoosened = "limit_loosened"
        case limitTightened = "limit_tightened"
        case notNullDropped = "not_null_dropped"
        case notNullAdded = "not_null_added"
        case keyDropped = "key_dropped"
        case keyAdded = "key_added"
        case promiseDropped = "promise_dropped"
        case promiseAdded = "promise_added"
        case ownerChanged = "owner_changed"
    }

    public var kind: Kind
    public var breaking: Bool
    public var contract: String
    /// The file of the new version (the old one's for a removed contract).
    public var file: String
    public var table: QualifiedName
    public var column: String?
    public var old: String?
    public var new: String?
    public var message: String
    /// Where it is in `file`.
    public var line: Int?
    public var owner: Owner?
    public var consumers: [Consumer] = []

    /// `schema.table.column`, quoted where needed.
    public var location: String {
        column.map { table.description + "." + QualifiedName.display($0) } ?? table.description
    }
}

/// Compares two versions of a contracts folder. Pure: the caller reads both.
public enum ContractDiff {
    /// Contracts are matched by their table; a table whose contract keeps its name (or ODCS
    /// logical name) under another physical name is a rename. Columns are matched by name,
    /// and by ODCS logical name for a rename the contract states (`name` kept, `physicalName`
    /// changed).
    public static func compare(old: ContractSet, new: ContractSet) -> [ContractChange] {
        var changes: [ContractChange] = []
        let oldByTable = Dictionary(old.contracts.map { ($0.qualifiedTable, $0) }, uniquingKeysWith: { a, _ in a })
        let newByTable = Dictionary(new.contracts.map { ($0.qualifiedTable, $0) }, uniquingKeysWith: { a, _ in a })
        var matchedOld = Set<QualifiedName>()
        for contract in new.contracts {
            if let previous = oldByTable[contract.qualifiedTable] {
                matchedOld.insert(previous.qualifiedTable)
                changes += compare(previous, contract)
                continue
            }
            // The same contract (by its name or logical table name) for another table: a rename.
            if let previous = old.contracts.first(where: { candidate in
                newByTable[candidate.qualifiedTable] == nil && !matchedOld.contains(candidate.qualifiedTable)
                    && (candidate.name == contract.name
                        || (candidate.title != nil && candidate.title == contract.title))
            }) {
                matchedOld.insert(previous.qualifiedTable)
                changes.append(
                    change(
                        .tableRenamed, breaking: true, contract, column: nil, old: previous.qualifiedTable.description,
                        new: contract.qualifiedTable.description,
                        "the table is renamed from \(previous.qualifiedTable) to \(contract.qualifiedTable): "
                            + "consumers that read the old name break", line: contract.tableLocation?.line))
                changes += compare(previous, contract)
                continue
            }
            changes.append(
                change(
                    .contractAdded, breaking: false, contract, column: nil, old: nil,
                    new: contract.qualifiedTable.description,
                    "a new contract for \(contract.qualifiedTable)", line: contract.nameLocation?.line))
        }
        for contract in old.contracts where !matchedOld.contains(contract.qualifiedTable) {
            changes.append(
                change(
                    .contractRemoved, breaking: true, contract, column: nil, old: contract.qualifiedTable.description,
                    new: nil,
                    "the contract for \(contract.qualifiedTable) is removed: nothing promises its shape any more",
                    line: nil))
        }
        return changes
    }

    static func change(
        _ kind: ContractChange.Kind, breaking: Bool, _ contract: Contract, column: String?, old: String?, new: String?,
        _ message: String, line: Int?
    ) -> ContractChange {
        ContractChange(
            kind: kind, breaking: breaking, contract: contract.name, file: contract.file,
            table: contract.qualifiedTable, column: column, old: old, new: new, message: message, line: line,
            owner: contract.owner, consumers: contract.consumers)
    }

    /// Two versions of one contract.
    static func compare(_ old: Contract, _ new: Contract) -> [ContractChange] {
        var changes: [ContractChange] = []
        let oldColumns = Dictionary(old.columns.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let newNames = Set(new.columns.map(\.name))
        var matched = Set<String>()
        for column in new.columns {
            let line = column.location?.line
            if let previous = oldColumns[column.name] {
                matched.insert(previous.name)
                changes += compare(
                    previous.expectation, column.expectation, old: old, new: new, column: column.name, line: line)
                continue
            }
            if let logical = column.logicalName,
                let previous = old.columns.first(where: {
                    $0.logicalName == logical && !newNames.contains($0.name) && !matched.contains($0.name)
                })
            {
                matched.insert(previous.name)
                changes.append(
                    change(
                        .columnRenamed, breaking: true, new, column: column.name, old: previous.name, new: column.name,
                        "\(logical) is renamed from \(previous.name) to \(column.name) (the contract says so: same "
                            + "name, new physicalName): consumers that read the old name break", line: line))
                changes += compare(
                    previous.expectation, column.expectation, old: old, new: new, column: column.name, line: line)
                continue
            }
            changes.append(
                change(
                    .columnAdded, breaking: false, new, column: column.name, old: nil, new: column.name,
                    "a new column \(column.name) is promised", line: line))
        }
        for column in old.columns where !matched.contains(column.name) {
            changes.append(
                change(
                    .columnRemoved, breaking: true, new, column: column.name, old: column.name, new: nil,
                    "\(column.name) is no longer in the contract: consumers that read it are not promised it",
                    line: new.tableLocation?.line))
        }
        if old.owner != new.owner {
            changes.append(
                change(
                    .ownerChanged, breaking: false, new, column: nil, old: old.owner?.display, new: new.owner?.display,
                    "the owner changes from \(old.owner?.display ?? "nobody") to \(new.owner?.display ?? "nobody")",
                    line: new.ownerLocation?.line))
        }
        return changes
    }

    /// Widenings consumers did not plan for (`integer` → `bigint`): the reverse is a narrowing.
    static let widenings: [String: Set<String>] = [
        "smallint": ["integer", "bigint", "numeric", "real", "double precision"],
        "integer": ["bigint", "numeric", "double precision"],
        "bigint": ["numeric"],
        "real": ["double precision"],
        "character varying": ["text"],
        "character": ["character varying", "text"],
        "timestamp without time zone": ["timestamp with time zone"],
        "date": ["timestamp without time zone", "timestamp with time zone"],
    ]

    static func canonical(_ type: String) -> String { DataTypeVocabulary.canonical(type) ?? type.lowercased() }

    /// One column's promises, old and new.
    static func compare(
        _ old: ColumnExpectation, _ new: ColumnExpectation, old oldContract: Contract, new contract: Contract,
        column: String, line: Int?
    ) -> [ContractChange] {
        var changes: [ContractChange] = []
        func add(_ kind: ContractChange.Kind, _ breaking: Bool, _ before: String?, _ after: String?, _ message: String)
        {
            changes.append(
                change(kind, breaking: breaking, contract, column: column, old: before, new: after, message, line: line)
            )
        }
        let oldType = old.dataType.map(canonical) ?? old.typeName?.description
        let newType = new.dataType.map(canonical) ?? new.typeName?.description
        switch (oldType, newType) {
        case (let before?, let after?) where before != after:
            if widenings[after]?.contains(before) == true {
                add(
                    .typeNarrowed, false, before, after,
                    "\(column): \(before) → \(after) narrows the type (every value "
                        + "still reads as \(before))")
            } else {
                add(
                    .typeChanged, true, before, after,
                    "\(column): \(before) → \(after): consumers typed for \(before) break")
            }
        case (let before?, nil):
            add(.promiseDropped, true, before, nil, "\(column): the type \(before) is no longer promised")
        case (nil, let after?):
            add(.promiseAdded, false, nil, after, "\(column): the type \(after) is now promised")
        default: break
        }
        if oldType == newType {
            limits(old.modifiers, new.modifiers, add: add, column: column)
        }
        switch (old.isNullable, new.isNullable) {
        case (false?, true?), (false?, nil):
            add(
                .notNullDropped, true, "NOT NULL", new.isNullable == nil ? nil : "nullable",
                "\(column): NOT NULL is no longer promised: consumers that assume a value break")
        case (true?, false?), (nil, false?):
            add(.notNullAdded, false, old.isNullable == nil ? nil : "nullable", "NOT NULL", "\(column): now NOT NULL")
        default: break
        }
        for (name, before, after) in [
            ("primary key", old.primaryKey, new.primaryKey), ("unique", old.unique, new.unique),
        ] {
            if before == true && after != true {
                add(
                    .keyDropped, true, name, nil,
                    "\(column): no longer \(name): consumers that join or deduplicate on it break")
            } else if before != true && after == true {
                add(.keyAdded, false, nil, name, "\(column): now \(name)")
            }
        }
        return changes
    }

    /// Length, precision, scale and fractional seconds: larger (or unlimited) loosens, smaller
    /// tightens.
    static func limits(
        _ old: ModifierExpectation, _ new: ModifierExpectation,
        add: (ContractChange.Kind, Bool, String?, String?, String) -> Void, column: String
    ) {
        func compare(_ facet: String, _ before: Limit<Int>?, _ after: Limit<Int>?) {
            func text(_ limit: Limit<Int>?) -> String? {
                limit.map { $0.value.map(String.init) ?? "unlimited" }
            }
            guard before != after else { return }
            switch (before, after) {
            case (.limited(let a)?, .limited(let b)?):
                if b > a {
                    add(
                        .limitLoosened, true, text(before), text(after),
                        "\(column): \(facet) \(a) → \(b): longer values "
                            + "than consumers were promised")
                } else {
                    add(.limitTightened, false, text(before), text(after), "\(column): \(facet) \(a) → \(b)")
                }
            case (.limited?, .unlimited?), (.limited?, nil):
                add(
                    .limitLoosened, true, text(before), text(after) ?? "not promised",
                    "\(column): \(facet) is no longer limited to \(text(before) ?? "")")
            case (.unlimited?, .limited?), (nil, .limited?):
                add(.limitTightened, false, text(before), text(after), "\(column): \(facet) now limited")
            default: break
            }
        }
        compare("length", old.characterMaximumLength, new.characterMaximumLength)
        compare("precision", old.numericPrecision, new.numericPrecision)
        compare("scale", old.numericScale, new.numericScale)
        compare(
            "fractional-second precision", old.datetimePrecision.map { .limited($0) },
            new.datetimePrecision.map { .limited($0) })
    }
}
