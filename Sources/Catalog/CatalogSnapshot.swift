/// A schema-qualified relation name. Identifiers are data: compared exactly, never folded.
public struct QualifiedName: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var schema: String
    public var name: String

    public init(schema: String, name: String) {
        self.schema = schema
        self.name = name
    }

    public static func < (lhs: QualifiedName, rhs: QualifiedName) -> Bool {
        (lhs.schema, lhs.name) < (rhs.schema, rhs.name)
    }

    /// `schema.name`, with either part double-quoted when it is not a plain lower-case identifier,
    /// the way psql shows it.
    public var description: String { "\(Self.display(schema)).\(Self.display(name))" }

    public static func display(_ identifier: String) -> String {
        // Bytes, not Characters: this runs for every row of a 50,000-table Tables screen.
        let bytes = identifier.utf8
        let plain =
            !bytes.isEmpty && !(bytes.first.map { $0 >= 0x30 && $0 <= 0x39 } ?? false)
            && bytes.allSatisfy { byte in
                (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x5F
            }
        return plain
            ? identifier
            : "\"" + identifier.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"")
                + "\""
    }
}

/// `pg_class.relkind` for the relations a contract can describe.
public enum RelationKind: String, Sendable, Hashable, CaseIterable {
    case table = "r"
    case partitionedTable = "p"
    case view = "v"
    case materializedView = "m"
    case foreignTable = "f"

    public var label: String {
        switch self {
        case .table: "table"
        case .partitionedTable: "partitioned table"
        case .view: "view"
        case .materializedView: "materialized view"
        case .foreignTable: "foreign table"
        }
    }

    /// Plain and partitioned tables; the rest get a notice when a contract points at them.
    public var isTable: Bool { self == .table || self == .partitionedTable }
}

/// What a type's modifier says, in information_schema vocabulary (nil: no limit, or not a
/// facet of the type). For an array, the column's typmod applies to the element
/// (`varchar(10)[]`, `timestamp(3)[]`), which information_schema does not show.
public struct TypeModifiers: Sendable, Hashable {
    public var characterMaximumLength: Int?
    public var numericPrecision: Int?
    public var numericScale: Int?
    public var datetimePrecision: Int?
    public var intervalType: String?

    public init(
        characterMaximumLength: Int? = nil, numericPrecision: Int? = nil, numericScale: Int? = nil,
        datetimePrecision: Int? = nil, intervalType: String? = nil
    ) {
        self.characterMaximumLength = characterMaximumLength
        self.numericPrecision = numericPrecision
        self.numericScale = numericScale
        self.datetimePrecision = datetimePrecision
        self.intervalType = intervalType
    }
}

/// The rarer facts of a column (see `CatalogColumn`). Immutable, compared by value.
final class TypeDetails: Sendable, Hashable {
    let intervalType: String?
    let elementModifiers: TypeModifiers?
    let domain: QualifiedName?
    let userType: QualifiedName?
    let elementUserType: QualifiedName?
    let arrayElementType: String?
    let comment: String?

    init(
        intervalType: String?, elementModifiers: TypeModifiers?, domain: QualifiedName?, userType: QualifiedName?,
        elementUserType: QualifiedName?, arrayElementType: String?, comment: String?
    ) {
        self.intervalType = intervalType
        self.elementModifiers = elementModifiers
        self.domain = domain
        self.userType = userType
        self.elementUserType = elementUserType
        self.arrayElementType = arrayElementType
        self.comment = comment
    }

    /// nil when there is nothing to say: most columns, which then allocate nothing.
    static func make(
        intervalType: String?, elementModifiers: TypeModifiers?, domain: QualifiedName?, userType: QualifiedName?,
        elementUserType: QualifiedName?, arrayElementType: String?, comment: String?
    ) -> TypeDetails? {
        if intervalType == nil && elementModifiers == nil && domain == nil && userType == nil
            && elementUserType == nil && arrayElementType == nil && comment == nil
        {
            return nil
        }
        return TypeDetails(
            intervalType: intervalType, elementModifiers: elementModifiers, domain: domain, userType: userType,
            elementUserType: elementUserType, arrayElementType: arrayElementType, comment: comment)
    }

    static func == (lhs: TypeDetails, rhs: TypeDetails) -> Bool {
        lhs.intervalType == rhs.intervalType && lhs.elementModifiers == rhs.elementModifiers && lhs.domain == rhs.domain
            && lhs.userType == rhs.userType && lhs.elementUserType == rhs.elementUserType
            && lhs.arrayElementType == rhs.arrayElementType && lhs.comment == rhs.comment
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(intervalType)
        hasher.combine(elementModifiers)
        hasher.combine(domain)
        hasher.combine(userType)
        hasher.combine(elementUserType)
        hasher.combine(arrayElementType)
        hasher.combine(comment)
    }
}

/// One column as the catalog has it, in `information_schema.columns` vocabulary plus extras.
///
/// A snapshot holds every column of the catalog (631,500 of them at 50,000 tables), so the
/// layout is compact: the numbers in 32 bits with a sentinel for "none", the flags in a byte,
/// and what few columns have (array elements, interval fields, domains, user types, comments)
/// behind one shared reference. 96 bytes a column instead of 208.
public struct CatalogColumn: Sendable, Hashable {
    public let name: String
    /// `information_schema` spelling: `integer`, `character varying`, `ARRAY`, `USER-DEFINED`…
    public let dataType: String
    /// `format_type(atttypid, atttypmod)`: `character varying(255)`, `numeric(12,2)`, `text[]`.
    public let formattedType: String
    public var defaultExpression: String?
    private var details: TypeDetails?
    private let numbers: Numbers

    /// The numeric facts; `none` stands for nil.
    private struct Numbers: Sendable, Hashable {
        static let none = Int32.min
        var position: Int32
        var characterMaximumLength: Int32
        var numericPrecision: Int32
        var numericScale: Int32
        var primaryKeyPosition: Int32
        var datetimePrecision: Int16
        /// 1: nullable, 2: updatable, 4: unique.
        var flags: UInt8

        static func pack(_ value: Int?) -> Int32 { value.map { Int32(clamping: $0) } ?? none }
        static func unpack(_ value: Int32) -> Int? { value == none ? nil : Int(value) }
    }

    public init(
        name: String, position: Int, dataType: String, formattedType: String,
        characterMaximumLength: Int? = nil, numericPrecision: Int? = nil, numericScale: Int? = nil,
        datetimePrecision: Int? = nil, intervalType: String? = nil, isNullable: Bool = true, isUpdatable: Bool = true,
        arrayElementType: String? = nil, elementModifiers: TypeModifiers? = nil,
        domain: QualifiedName? = nil, userType: QualifiedName? = nil, elementUserType: QualifiedName? = nil,
        primaryKeyPosition: Int? = nil, defaultExpression: String? = nil, comment: String? = nil, isUnique: Bool = false
    ) {
        details = TypeDetails.make(
            intervalType: intervalType, elementModifiers: elementModifiers, domain: domain, userType: userType,
            elementUserType: elementUserType, arrayElementType: arrayElementType, comment: comment)
        self.name = name
        self.dataType = dataType
        self.formattedType = formattedType
        self.defaultExpression = defaultExpression
        numbers = Numbers(
            position: Int32(clamping: position), characterMaximumLength: Numbers.pack(characterMaximumLength),
            numericPrecision: Numbers.pack(numericPrecision), numericScale: Numbers.pack(numericScale),
            primaryKeyPosition: Numbers.pack(primaryKeyPosition),
            datetimePrecision: datetimePrecision.map { Int16(clamping: $0) } ?? Int16.min,
            flags: (isNullable ? 1 : 0) | (isUpdatable ? 2 : 0) | (isUnique ? 4 : 0))
    }

    /// `pg_attribute.attnum` (1-based, gaps where columns were dropped).
    public var position: Int { Int(numbers.position) }
    public var characterMaximumLength: Int? { Numbers.unpack(numbers.characterMaximumLength) }
    public var numericPrecision: Int? { Numbers.unpack(numbers.numericPrecision) }
    /// The real scale, negative too (`numeric(5,-2)`, PostgreSQL 15+), where information_schema
    /// shows the raw 11-bit field (2046).
    public var numericScale: Int? { Numbers.unpack(numbers.numericScale) }
    public var datetimePrecision: Int? { numbers.datetimePrecision == Int16.min ? nil : Int(numbers.datetimePrecision) }
    public var isNullable: Bool { numbers.flags & 1 != 0 }
    public var isUpdatable: Bool { numbers.flags & 2 != 0 }
    /// A unique index (or primary key) on this column alone, without a predicate.
    public var isUnique: Bool { numbers.flags & 4 != 0 }
    /// 1-based position in the primary key, nil when not part of it.
    public var primaryKeyPosition: Int? { Numbers.unpack(numbers.primaryKeyPosition) }
    /// For `ARRAY` columns: the element's `data_type` (`text`, `integer`, `USER-DEFINED`…).
    public var arrayElementType: String? { details?.arrayElementType }
    public var comment: String? {
        get { details?.comment }
        set {
            let current = details
            details = TypeDetails.make(
                intervalType: current?.intervalType, elementModifiers: current?.elementModifiers,
                domain: current?.domain, userType: current?.userType, elementUserType: current?.elementUserType,
                arrayElementType: current?.arrayElementType, comment: newValue)
        }
    }

    public var isPrimaryKey: Bool { primaryKeyPosition != nil }

    /// Equal type details of many columns as one object (every `integer[]` of a catalog has the
    /// same): the reader shares them through one pool per snapshot.
    public struct DetailsPool: Sendable {
        fileprivate var members: Set<TypeDetails> = []
        public init() {}
    }

    public mutating func shareDetails(_ pool: inout DetailsPool) {
        // A comment is the column's own: nothing to share.
        guard let details, details.comment == nil else { return }
        if let existing = pool.members.firstIndex(of: details) {
            self.details = pool.members[existing]
        } else {
            pool.members.insert(details)
        }
    }

    /// `information_schema.columns.interval_type`: the fields an interval is restricted to
    /// (`YEAR TO MONTH`); nil for an interval with every field and for other types.
    public var intervalType: String? { details?.intervalType }
    /// For arrays: the element's modifiers (nil when the element has none to state).
    public var elementModifiers: TypeModifiers? { details?.elementModifiers }
    /// The domain the column is declared with (`domain_schema`, `domain_name`).
    public var domain: QualifiedName? { details?.domain }
    /// The type when it is not built in (`udt_schema`, `udt_name`): an enum, a composite, a
    /// range, an array of those (`_mood`), the base type of a domain. nil for built-in types.
    public var userType: QualifiedName? { details?.userType }
    /// For arrays: the element type when it is not built in (an enum, a domain…).
    public var elementUserType: QualifiedName? { details?.elementUserType }

    /// The column's own type modifiers.
    public var modifiers: TypeModifiers {
        TypeModifiers(
            characterMaximumLength: characterMaximumLength, numericPrecision: numericPrecision,
            numericScale: numericScale, datetimePrecision: datetimePrecision, intervalType: intervalType)
    }
}

/// A table, view, materialized view or foreign table with its columns in `attnum` order.
public struct Relation: Sendable, Hashable {
    public var name: QualifiedName
    public var kind: RelationKind
    /// A partition of a partitioned table (`relispartition`).
    public var isPartition: Bool
    public var comment: String?
    public var columns: [CatalogColumn]
    /// `pg_class.oid`: survives renames, so the change feed can tell a rename from drop + create.
    public var oid: Int

    public init(
        name: QualifiedName, kind: RelationKind, isPartition: Bool = false, comment: String? = nil,
        columns: [CatalogColumn], oid: Int = 0
    ) {
        self.oid = oid
        self.name = name
        self.kind = kind
        self.isPartition = isPartition
        self.comment = comment
        self.columns = columns
    }

    public func column(named name: String) -> CatalogColumn? {
        columnIndex(named: name).map { columns[$0] }
    }

    /// Where `column(named:)` is in `columns`.
    public func columnIndex(named name: String) -> Int? {
        // Lengths first: comparing two different names is String's slow path.
        let length = name.utf8.count
        return columns.firstIndex { $0.name.utf8.count == length && $0.name == name }
    }

    public var primaryKey: [CatalogColumn] {
        columns.filter(\.isPrimaryKey).sorted { ($0.primaryKeyPosition ?? 0) < ($1.primaryKeyPosition ?? 0) }
    }
}

/// The database a snapshot was taken from.
public struct DatabaseIdentity: Sendable, Hashable {
    public var name: String
    public var serverVersion: String

    public init(name: String, serverVersion: String) {
        self.name = name
        self.serverVersion = serverVersion
    }
}

/// Every user relation of one database at one moment. Immutable once built; indexed by name.
public struct CatalogSnapshot: Sendable {
    public private(set) var database: DatabaseIdentity
    public private(set) var relations: [Relation]
    private let index: [QualifiedName: Int]
    private let byName: [String: [Int]]

    public init(database: DatabaseIdentity, relations: [Relation]) {
        self.database = database
        self.relations = relations.sorted { $0.name < $1.name }
        var index: [QualifiedName: Int] = [:]
        var byName: [String: [Int]] = [:]
        index.reserveCapacity(relations.count)
        for (offset, relation) in self.relations.enumerated() {
            index[relation.name] = offset
            byName[relation.name.name.lowercased(), default: []].append(offset)
        }
        self.index = index
        self.byName = byName
    }

    public func relation(_ name: QualifiedName) -> Relation? {
        index[name].map { relations[$0] }
    }

    /// Relations whose name equals `name` ignoring case, in any schema (for "did you mean" notices).
    public func relations(namedLike name: String) -> [Relation] {
        (byName[name.lowercased()] ?? []).map { relations[$0] }
    }

    /// Where the relations named exactly one of `names` (any schema) are, in catalog order:
    /// looked up by name, whatever the catalog's size.
    private func positions(named names: Set<String>) -> [Int] {
        var found: [Int] = []
        for name in Set(names.map { $0.lowercased() }) {
            found += (byName[name] ?? []).filter { names.contains(relations[$0].name.name) }
        }
        return found.sorted()
    }

    /// The relations named exactly one of `names`, in any schema.
    public func relations(named names: Set<String>) -> [Relation] {
        positions(named: names).map { relations[$0] }
    }

    /// This catalog with the relations of a scoped read (`scoped`, the relations now named one
    /// of `names`) in place of the ones it re-read: those of those names, and those the read
    /// found under another name (renamed: the same oid). When the read found the same relations
    /// under the same names (the usual DDL: a column, a key, a comment), they are replaced where
    /// they stand: the sort and the indexes stay (50,000 relations re-sorted and re-indexed took
    /// 50-60 ms per poll); otherwise (created, dropped, renamed) the catalog is rebuilt.
    public func merging(_ scoped: CatalogSnapshot, names: Set<String>) -> CatalogSnapshot {
        let replaced = positions(named: names)
        let inPlace =
            replaced.count == scoped.relations.count
            && scoped.relations.allSatisfy { fresh in
                index[fresh.name].map { relations[$0].oid == fresh.oid && names.contains(fresh.name.name) } ?? false
            }
        if inPlace {
            var merged = self
            merged.database = scoped.database
            for fresh in scoped.relations {
                if let position = index[fresh.name] { merged.relations[position] = fresh }
            }
            return merged
        }
        let fresh = Set(scoped.relations.map(\.oid))
        let freshNames = Set(scoped.relations.map(\.name))
        let kept = relations.filter {
            !names.contains($0.name.name) && !fresh.contains($0.oid) && !freshNames.contains($0.name)
        }
        return CatalogSnapshot(database: scoped.database, relations: kept + scoped.relations)
    }

}
