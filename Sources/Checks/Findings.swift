import Catalog
import Contracts

public enum Severity: String, Sendable, Hashable, Comparable, CaseIterable {
    case error
    case warning

    public static func < (lhs: Severity, rhs: Severity) -> Bool {
        lhs == .error && rhs == .warning
    }
}

/// What differs between a contract and the catalog (README.md, "What is checked").
public enum ViolationKind: String, Sendable, Hashable, CaseIterable {
    case tableMissing = "table_missing"
    case columnMissing = "column_missing"
    case dataType = "data_type"
    case characterMaximumLength = "character_maximum_length"
    case numericPrecision = "numeric_precision"
    case numericScale = "numeric_scale"
    case datetimePrecision = "datetime_precision"
    case intervalType = "interval_type"
    case isNullable = "is_nullable"
    case isUpdatable = "is_updatable"
    case primaryKey = "primary_key"
    case arrayElementType = "array_element_type"
    case unique = "unique"
}

/// An expected or actual value, in the contract's vocabulary.
public enum FindingValue: Sendable, Hashable, CustomStringConvertible {
    case present
    case absent
    case bool(Bool)
    case int(Int)
    case text(String)
    /// The catalog has no value (e.g. no length limit on `text`).
    case null

    public var description: String {
        switch self {
        case .present: "present"
        case .absent: "absent"
        case .bool(let value): value ? "true" : "false"
        case .int(let value): String(value)
        case .text(let value): value
        case .null: "null"
        }
    }
}

/// Stable identity of a violation across polls: the same contract file, contract, table, column
/// and kind. `identity` leaves the file out: it names the same finding whatever path the
/// contracts folder is reached by (what the history is keyed by).
public struct ViolationID: Sendable, Hashable {
    public var file: String
    public var contract: String
    public var table: QualifiedName
    public var column: String?
    public var kind: ViolationKind

    public init(file: String, contract: String, table: QualifiedName, column: String?, kind: ViolationKind) {
        self.file = file
        self.contract = contract
        self.table = table
        self.column = column
        self.kind = kind
    }

    /// Contract name, schema, table, column and kind as one unambiguous string (a JSON array:
    /// no name can forge a separator).
    public var identity: String {
        Self.identity(contract: contract, schema: table.schema, table: table.name, column: column, kind: kind.rawValue)
    }

    public static func identity(contract: String, schema: String, table: String, column: String?, kind: String)
        -> String
    {
        func quoted(_ text: String?) -> String {
            guard let text else { return "null" }
            var out = ""
            JSONText.quote(text, into: &out)
            return out
        }
        return "["
            + [quoted(contract), quoted(schema), quoted(table), quoted(column), quoted(kind)].joined(separator: ",")
            + "]"
    }
}

/// A difference between a contract and the catalog.
public struct Violation: Sendable, Hashable, Identifiable {
    public var contract: String
    public var file: String
    public var schema: String
    public var table: String
    /// nil for table-level findings.
    public var column: String?
    public var kind: ViolationKind
    public var expected: FindingValue
    public var actual: FindingValue
    public var severity: Severity
    /// Whether consumers of the table break (README.md, "What is checked").
    public var breaking: Bool
    public var message: String
    public var owner: Owner?
    /// What depends on the table downstream (from the contract).
    public var consumers: [Consumer] = []

    /// A breaking change to a table that something downstream depends on.
    public var critical: Bool { breaking && !consumers.isEmpty }

    public init(
        contract: String, file: String, schema: String, table: String, column: String?, kind: ViolationKind,
        expected: FindingValue, actual: FindingValue, severity: Severity, breaking: Bool, message: String,
        owner: Owner?, consumers: [Consumer] = []
    ) {
        self.contract = contract
        self.file = file
        self.schema = schema
        self.table = table
        self.column = column
        self.kind = kind
        self.expected = expected
        self.actual = actual
        self.severity = severity
        self.breaking = breaking
        self.message = message
        self.owner = owner
        self.consumers = consumers
    }

    public var id: ViolationID {
        ViolationID(file: file, contract: contract, table: qualifiedTable, column: column, kind: kind)
    }

    public var qualifiedTable: QualifiedName { QualifiedName(schema: schema, name: table) }

    /// `schema.table.column` (or the table alone), quoted where an identifier needs it.
    public var location: String {
        column.map { qualifiedTable.description + "." + QualifiedName.display($0) } ?? qualifiedTable.description
    }
}

public enum NoticeKind: String, Sendable, Hashable, CaseIterable {
    /// A catalog column the contract does not describe (maybe a renamed one).
    case uncontractedColumn = "uncontracted_column"
    /// The contracted table is missing, but a table of that name exists in another schema.
    case tableInOtherSchema = "table_in_other_schema"
    /// The contracted table is missing, but one differing only in letter case exists.
    case tableNameCase = "table_name_case"
    /// The contract's `table_catalog` is not the connected database.
    case catalogMismatch = "catalog_mismatch"
    /// The contract points at a view, materialized view or foreign table.
    case relationKind = "relation_kind"
    /// The contracts folder holds no contract files.
    case emptyContractFolder = "empty_contract_folder"
    /// Two contracts describe the same table.
    case duplicateTableContract = "duplicate_table_contract"
    /// Two contract files use the same contract name.
    case duplicateContractName = "duplicate_contract_name"
}

/// Information that is not a violation but helps explain one.
public struct Notice: Sendable, Hashable {
    public var contract: String?
    public var schema: String?
    public var table: String?
    public var column: String?
    public var kind: NoticeKind
    public var detail: String

    public init(
        contract: String? = nil, schema: String? = nil, table: String? = nil, column: String? = nil, kind: NoticeKind,
        detail: String
    ) {
        self.contract = contract
        self.schema = schema
        self.table = table
        self.column = column
        self.kind = kind
        self.detail = detail
    }
}

public enum ContractStatus: String, Sendable, Hashable {
    case ok
    case violated
    case invalid
}

/// One contract file's result.
public struct ContractOutcome: Sendable, Hashable, Identifiable {
    /// nil when the file could not be read into a contract (`status == .invalid`).
    public var contract: Contract?
    public var name: String
    public var file: String
    public var format: ContractFormat
    public var schema: String?
    public var table: String?
    public var status: ContractStatus
    /// The relation the contract matched, if any.
    public var relationKind: RelationKind?

    public var id: String { file }
}

/// Everything one check found.
public struct CheckResult: Sendable, Hashable {
    public var database: DatabaseIdentity
    public var contracts: [ContractOutcome]
    public var contractErrors: [ContractError]
    public var violations: [Violation]
    public var notices: [Notice]

    public var isClean: Bool { violations.isEmpty && contractErrors.isEmpty }

    public func violations(forFile file: String) -> [Violation] {
        violations.filter { $0.file == file }
    }
}

extension Contract {
    /// The relation the contract describes, as the catalog names it (exact identifiers).
    public var qualifiedTable: QualifiedName { QualifiedName(schema: table.schema, name: table.name) }
}
