/// Who answers for a contract.
public struct Owner: Sendable, Hashable {
    public var name: String?
    public var email: String?

    public init(name: String?, email: String?) {
        self.name = name
        self.email = email
    }

    /// `Name <email>`, or whichever part is known.
    public var display: String {
        switch (name, email) {
        case (let name?, let email?): "\(name) <\(email)>"
        case (let name?, nil): name
        case (nil, let email?): email
        case (nil, nil): "(no owner)"
        }
    }
}

/// The file formats contractwatch reads.
public enum ContractFormat: String, Sendable, Hashable {
    /// The JSON spec v1.0.0 of the Data Contracts book, chapter 7.
    case seedJSON = "seed-json-v1"
    /// The Open Data Contract Standard, v3.0.x to v3.2.0 (YAML).
    case odcs = "odcs-v3"
}

/// The roles a contract can name (PyCharter's owner roles, plus the accountable owner).
public enum OwnerRole: String, Sendable, Hashable, CaseIterable {
    case owner
    case businessOwner = "business_owner"
    case buSME = "bu_sme"
    case itApplicationOwner = "it_application_owner"
    case itSME = "it_sme"
    case supportLead = "support_lead"

    public var label: String {
        switch self {
        case .owner: "Owner"
        case .businessOwner: "Business owner"
        case .buSME: "Business-unit SME"
        case .itApplicationOwner: "IT application owner"
        case .itSME: "IT SME"
        case .supportLead: "Support lead"
        }
    }

    /// Accepts `business_owner`, `business_owners`, `Business Owner`, `bu-sme`, `owner`…
    public init?(spelling: String) {
        let key = spelling.lowercased().filter { $0.isLetter }
        switch key {
        case "owner", "owners", "dataowner", "productowner", "contractowner": self = .owner
        case "businessowner", "businessowners": self = .businessOwner
        case "busme", "businessunitsme", "busmes", "businessunitsmes": self = .buSME
        case "itapplicationowner", "itapplicationowners", "applicationowner": self = .itApplicationOwner
        case "itsme", "itsmes": self = .itSME
        case "supportlead", "supportleads", "support": self = .supportLead
        default: return nil
        }
    }
}

/// A contract naming someone for a role: an id or email in the owners registry (or a name).
public struct RoleReference: Sendable, Hashable {
    public var role: OwnerRole
    public var reference: String
    public var location: SourceLocation?

    public init(role: OwnerRole, reference: String, location: SourceLocation? = nil) {
        self.role = role
        self.reference = reference
        self.location = location
    }
}

/// Something downstream that depends on the contract's table (a dashboard, a model, a pipeline).
public struct Consumer: Sendable, Hashable {
    public var name: String
    /// `dashboard`, `model`, `pipeline`, `report`, `service`… as written.
    public var kind: String?
    /// Who owns the consumer: an id or email in the owners registry, or a name.
    public var owner: String?
    /// Where the consumer is written (for lint findings).
    public var location: SourceLocation?

    public init(name: String, kind: String? = nil, owner: String? = nil, location: SourceLocation? = nil) {
        self.name = name
        self.kind = kind
        self.owner = owner
        self.location = location
    }
}

/// A support channel (ODCS `support[]`): where to reach the owners.
public struct SupportChannel: Sendable, Hashable {
    public var channel: String
    public var tool: String?
    public var url: String?

    public init(channel: String, tool: String? = nil, url: String? = nil) {
        self.channel = channel
        self.tool = tool
        self.url = url
    }
}

/// The table a contract describes.
public struct ContractTable: Sendable, Hashable {
    /// `table_catalog`: the database the contract was written for, if it says.
    public var catalog: String?
    public var schema: String
    public var name: String

    public init(catalog: String?, schema: String, name: String) {
        self.catalog = catalog
        self.schema = schema
        self.name = name
    }
}

/// A length, precision, scale or interval range a contract states. `unlimited` is what
/// information_schema shows as NULL (`varchar`, `numeric`, `bit varying` without a modifier, an
/// interval with every field): it is checked, so narrowing it is a violation. A facet the
/// contract omits is nil instead, and not checked.
public enum Limit<Value: Sendable & Hashable>: Sendable, Hashable {
    case unlimited
    case limited(Value)

    /// The stated value, nil for `unlimited`.
    public var value: Value? {
        if case .limited(let value) = self { return value }
        return nil
    }
}

/// What a contract expects of a type's modifiers: of the column's type, or of an array's
/// element type. nil fields were not stated and are not checked.
public struct ModifierExpectation: Sendable, Hashable {
    public var characterMaximumLength: Limit<Int>?
    public var numericPrecision: Limit<Int>?
    public var numericScale: Limit<Int>?
    public var datetimePrecision: Int?
    /// `interval_type` spelling (`YEAR TO MONTH`); `unlimited` is an interval with every field.
    public var intervalType: Limit<String>?

    public init(
        characterMaximumLength: Limit<Int>? = nil, numericPrecision: Limit<Int>? = nil, numericScale: Limit<Int>? = nil,
        datetimePrecision: Int? = nil, intervalType: Limit<String>? = nil
    ) {
        self.characterMaximumLength = characterMaximumLength
        self.numericPrecision = numericPrecision
        self.numericScale = numericScale
        self.datetimePrecision = datetimePrecision
        self.intervalType = intervalType
    }
}

/// A type named by its name rather than by information_schema's `data_type`: a domain, an enum,
/// a composite or range type (ODCS `physicalType: year`, `"Name"`, `sales.mood`).
public struct TypeName: Sendable, Hashable, CustomStringConvertible {
    public var schema: String?
    public var name: String
    /// Written in SQL double quotes: matched exactly. Unquoted names match as written or folded
    /// to lower case (PostgreSQL folds unquoted names; generated ODCS files keep a domain's case).
    public var quoted: Bool

    public init(schema: String? = nil, name: String, quoted: Bool = false) {
        self.schema = schema
        self.name = name
        self.quoted = quoted
    }

    /// Whether a catalog type `(schema, name)` is this one.
    public func matches(schema actualSchema: String, name actualName: String) -> Bool {
        func same(_ written: String, _ actual: String) -> Bool {
            written == actual || (!quoted && written.lowercased() == actual)
        }
        if let schema, !same(schema, actualSchema) { return false }
        return same(name, actualName)
    }

    public var description: String {
        func show(_ part: String) -> String {
            quoted
                ? "\"" + part.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
                : part
        }
        return (schema.map { show($0) + "." } ?? "") + show(name)
    }
}

/// What a contract expects of one column. A nil field was omitted and is not checked.
public struct ColumnExpectation: Sendable, Hashable {
    public var primaryKey: Bool?
    /// In `information_schema.columns` vocabulary (aliases such as `varchar` are accepted and
    /// compared through `DataTypeVocabulary`), as written.
    public var dataType: String?
    /// Length, precision, scale, datetime precision and interval fields of the column's type.
    public var modifiers: ModifierExpectation
    public var isNullable: Bool?
    public var isUpdatable: Bool?
    /// `array_element.data_type` for `ARRAY` columns.
    public var arrayElementType: String?
    /// The element's modifiers for `ARRAY` columns (`varchar(10)[]`).
    public var elementModifiers: ModifierExpectation
    /// A type named by name (ODCS `physicalType: mood`): the column must be of that domain or
    /// type. When the name is also a built-in spelling (`Name`), `dataType` holds the built-in
    /// and the column may be either.
    public var typeName: TypeName?
    /// The same for an array's element (`mood[]`).
    public var elementTypeName: TypeName?
    /// `domain_name` (information_schema): the column must be declared with this domain.
    public var domainName: String?
    /// `udt_name` (information_schema): the name of the column's type (`mood`, `_mood`, `int4`).
    public var udtName: String?
    /// 1-based position in a composite primary key (ODCS `primaryKeyPosition`).
    public var primaryKeyPosition: Int?
    /// The column alone must be unique (ODCS `unique`).
    public var unique: Bool?

    public init(
        primaryKey: Bool? = nil, dataType: String? = nil, modifiers: ModifierExpectation = ModifierExpectation(),
        isNullable: Bool? = nil, isUpdatable: Bool? = nil, arrayElementType: String? = nil,
        elementModifiers: ModifierExpectation = ModifierExpectation(), typeName: TypeName? = nil,
        elementTypeName: TypeName? = nil, domainName: String? = nil, udtName: String? = nil,
        primaryKeyPosition: Int? = nil, unique: Bool? = nil
    ) {
        self.primaryKey = primaryKey
        self.dataType = dataType
        self.modifiers = modifiers
        self.isNullable = isNullable
        self.isUpdatable = isUpdatable
        self.arrayElementType = arrayElementType
        self.elementModifiers = elementModifiers
        self.typeName = typeName
        self.elementTypeName = elementTypeName
        self.domainName = domainName
        self.udtName = udtName
        self.primaryKeyPosition = primaryKeyPosition
        self.unique = unique
    }
}

/// One column a contract describes.
public struct ContractColumn: Sendable, Hashable {
    public var name: String
    public var description: String?
    public var expectation: ColumnExpectation
    /// Where the column's key is written in the contract file.
    public var location: SourceLocation?
    /// The type exactly as written (`data_type` or `physicalType`) and where, for lint.
    public var declaredType: String?
    public var declaredTypeLocation: SourceLocation?
    /// ODCS: the property's `name` (its `physicalName` is `name`); nil in the seed format. A
    /// new `physicalName` under the same `name` is a rename the contract states.
    public var logicalName: String?

    public init(
        name: String, description: String? = nil, expectation: ColumnExpectation = ColumnExpectation(),
        location: SourceLocation? = nil,
        declaredType: String? = nil, declaredTypeLocation: SourceLocation? = nil, logicalName: String? = nil
    ) {
        self.logicalName = logicalName
        self.declaredType = declaredType
        self.declaredTypeLocation = declaredTypeLocation
        self.name = name
        self.description = description
        self.expectation = expectation
        self.location = location
    }
}

/// Something a reader noticed that is not an error, for `lint`: a key of another format or
/// version (`isNullable` in an ODCS v3 file), a spelling read other than PostgreSQL reads it.
public struct ContractNote: Sendable, Hashable {
    public var location: SourceLocation?
    public var rule: ContractLint.Finding.Rule
    public var message: String

    public init(location: SourceLocation?, rule: ContractLint.Finding.Rule, message: String) {
        self.location = location
        self.rule = rule
        self.message = message
    }
}

/// A data contract: what one table must look like, and who owns it.
public struct Contract: Sendable, Hashable, Identifiable {
    public var name: String
    /// The file it was read from, as given to the loader (unique within a load: the identity).
    public var file: String
    public var format: ContractFormat
    public var specVersion: String
    public var namespace: String?
    public var dataAssetResourceName: String?
    public var doc: String?
    public var title: String?
    public var owner: Owner?
    public var table: ContractTable
    /// In the order the file lists them.
    public var columns: [ContractColumn]
    /// Further people named for roles (resolved against the owners registry).
    public var roles: [RoleReference]
    /// What depends on this table downstream.
    public var consumers: [Consumer]
    public var support: [SupportChannel]
    /// ODCS `customProperties` (and the seed format's unknown top-level keys are ignored).
    public var customProperties: [String: String]
    /// Where the owner is written (for lint findings).
    public var ownerLocation: SourceLocation?
    /// What the reader noticed beyond errors (`lint` reports it).
    public var notes: [ContractNote] = []
    /// Where the contract's name and its table's name are written (lint points at both files
    /// of a duplicate).
    public var nameLocation: SourceLocation?
    public var tableLocation: SourceLocation?

    public var id: String { file }

    public init(
        name: String, file: String, format: ContractFormat = .seedJSON, specVersion: String = "1.0.0",
        namespace: String? = nil, dataAssetResourceName: String? = nil, doc: String? = nil,
        title: String? = nil, owner: Owner? = nil, table: ContractTable, columns: [ContractColumn],
        roles: [RoleReference] = [], consumers: [Consumer] = [], support: [SupportChannel] = [],
        customProperties: [String: String] = [:], ownerLocation: SourceLocation? = nil, notes: [ContractNote] = []
    ) {
        self.notes = notes
        self.roles = roles
        self.consumers = consumers
        self.support = support
        self.customProperties = customProperties
        self.ownerLocation = ownerLocation
        self.name = name
        self.file = file
        self.format = format
        self.specVersion = specVersion
        self.namespace = namespace
        self.dataAssetResourceName = dataAssetResourceName
        self.doc = doc
        self.title = title
        self.owner = owner
        self.table = table
        self.columns = columns
    }
}

/// The file name without folder and extension: how an unreadable contract file is named.
public func contractStem(_ file: String) -> String {
    let base = file.split(separator: "/").last.map(String.init) ?? file
    for suffix in [".json", ".yaml", ".yml"] where base.hasSuffix(suffix) {
        return String(base.dropLast(suffix.count))
    }
    return base
}

/// A contract file that could not be read: where, and what to do about it.
public struct ContractError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: Int?
    public var message: String
    /// The offending line and the two before it, as the file has them (filled in by
    /// `ContractLoader`, which has the bytes), so a reader sees the error in place.
    public var excerpt: [SourceLine] = []

    /// One numbered line of a source file.
    public struct SourceLine: Sendable, Hashable {
        public var number: Int
        public var text: String

        public init(number: Int, text: String) {
            self.number = number
            self.text = text
        }
    }

    public init(file: String, location: SourceLocation?, message: String) {
        self.file = file
        self.line = location?.line
        self.column = location?.column
        self.message = message
    }

    /// `file:line:column: message`, the form editors and CI logs link.
    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        if let column { text += ":\(column)" }
        return text + ": " + message
    }
}

/// The result of loading a folder: every contract that loaded, every file that did not.
public struct ContractSet: Sendable, Hashable {
    public var contracts: [Contract]
    public var errors: [ContractError]
    /// How many candidate files were looked at (0 means the folder had no contracts at all).
    public var fileCount: Int
    /// `owners.yaml` of the folder (empty when there is none).
    public var registry: OwnersRegistry

    public init(contracts: [Contract], errors: [ContractError], fileCount: Int, registry: OwnersRegistry = .empty) {
        self.contracts = contracts
        self.errors = errors
        self.fileCount = fileCount
        self.registry = registry
    }
}
