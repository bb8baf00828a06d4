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
        case let (name?, email?): "\(name) <\(email)>"
        case let (name?, nil): name
        case let (nil, email?): email
        case (nil, nil): "(no owner)"
        }
    }
}

/// The file formats contractwatch reads.
public enum ContractFormat: String, Sendable, Hashable {
    /// The JSON spec v1.0.0 of the Data Contracts book, chapter 7.
    case seedJSON = "seed-json-v1"
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

/// What a contract expects of one column. A nil field was omitted and is not checked.
public struct ColumnExpectation: Sendable, Hashable {
    public var primaryKey: Bool?
    /// In `information_schema.columns` vocabulary (aliases such as `varchar` are accepted and
    /// compared through `DataTypeVocabulary`), as written.
    public var dataType: String?
    public var characterMaximumLength: Int?
    public var numericPrecision: Int?
    public var numericScale: Int?
    public var datetimePrecision: Int?
    public var isNullable: Bool?
    public var isUpdatable: Bool?
    /// `array_element.data_type` for `ARRAY` columns.
    public var arrayElementType: String?

    public init(
        primaryKey: Bool? = nil, dataType: String? = nil, characterMaximumLength: Int? = nil,
        numericPrecision: Int? = nil, numericScale: Int? = nil, datetimePrecision: Int? = nil,
        isNullable: Bool? = nil, isUpdatable: Bool? = nil, arrayElementType: String? = nil
    ) {
        self.primaryKey = primaryKey
        self.dataType = dataType
        self.characterMaximumLength = characterMaximumLength
        self.numericPrecision = numericPrecision
        self.numericScale = numericScale
        self.datetimePrecision = datetimePrecision
        self.isNullable = isNullable
        self.isUpdatable = isUpdatable
        self.arrayElementType = arrayElementType
    }
}

/// One column a contract describes.
public struct ContractColumn: Sendable, Hashable {
    public var name: String
    public var description: String?
    public var expectation: ColumnExpectation
    /// Where the column's key is written in the contract file.
    public var location: SourceLocation?

    public init(name: String, description: String? = nil, expectation: ColumnExpectation = ColumnExpectation(), location: SourceLocation? = nil) {
        self.name = name
        self.description = description
        self.expectation = expectation
        self.location = location
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

    public var id: String { file }

    public init(
        name: String, file: String, format: ContractFormat = .seedJSON, specVersion: String = "1.0.0",
        namespace: String? = nil, dataAssetResourceName: String? = nil, doc: String? = nil,
        title: String? = nil, owner: Owner? = nil, table: ContractTable, columns: [ContractColumn]
    ) {
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

    public init(contracts: [Contract], errors: [ContractError], fileCount: Int) {
        self.contracts = contracts
        self.errors = errors
        self.fileCount = fileCount
    }
}
