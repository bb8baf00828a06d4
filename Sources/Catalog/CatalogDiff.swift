/// One difference between two catalog snapshots: what a migration did.
public struct CatalogChange: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case tableAdded = "table added"
        case tableDropped = "table dropped"
        case tableRenamed = "table renamed"
        case kindChanged = "relation kind changed"
        case tableCommentChanged = "table comment changed"
        case columnAdded = "column added"
        case columnDropped = "column dropped"
        case columnRenamed = "column renamed"
        case typeChanged = "type changed"
        case nullabilityChanged = "nullability changed"
        case defaultChanged = "default changed"
        case primaryKeyChanged = "primary key changed"
        case commentChanged = "comment changed"
    }

    public var kind: Kind
    /// The relation as it is now (or was, for a drop).
    public var table: QualifiedName
    public var column: String?
    public var old: String?
    public var new: String?

    public init(kind: Kind, table: QualifiedName, column: String? = nil, old: String? = nil, new: String? = nil) {
        self.kind = kind
        self.table = table
        self.column = column
        self.old = old
        self.new = new
    }

    /// `public.t.name` or `public.t`
    public var location: String {
        column.map { table.description + "." + QualifiedName.display($0) } ?? table.description
    }

    /// `old → new`, or whichever side exists.
    public var values: String {
        switch (old, new) {
        case (let old?, let new?): "\(old) → \(new)"
        case (let old?, nil): old
        case (nil, let new?): new
        case (nil, nil): ""
        }
    }
}

/// Compares two snapshots. Pure. Renames are exact, not guessed: a relation keeps its oid and a
/// column its attnum across a rename, while drop + add gives new ones.
public enum CatalogDiff {
    public static func changes(from old: CatalogSnapshot, to new: CatalogSnapshot) -> [CatalogChange] {
        var changes: [CatalogChange] = []
        let oldByOID = Dictionary(old.relations.map { ($0.oid, $0) }, uniquingKeysWith: { a, _ in a })
        let newByOID = Dictionary(new.relations.map { ($0.oid, $0) }, uniquingKeysWith: { a, _ in a })
        for relation in new.relations {
            guard let before = oldByOID[relation.oid] else {
                changes.append(
                    CatalogChange(
                        kind: .tableAdded, table: relation.name,
                        new: "\(relation.kind.label), \(relation.columns.count) columns"))
                continue
            }
            if before.name != relation.name {
                changes.append(
                    CatalogChange(
                        kind: .tableRenamed, table: relation.name, old: before.name.description,
                        new: relation.name.description))
            }
            if before.kind != relation.kind {
                changes.append(
                    CatalogChange(
                        kind: .kindChanged, table: relation.name, old: before.kind.label, new: relation.kind.label))
            }
            if before.comment != relation.comment {
                changes.append(
                    CatalogChange(
                        kind: .tableCommentChanged, table: relation.name, old: before.comment ?? "none",
                        new: relation.comment ?? "none"))
            }
            changes += columnChanges(before, relation)
        }
        for relation in old.relations where newByOID[relation.oid] == nil {
            changes.append(
                CatalogChange(
                    kind: .tableDropped, table: relation.name,
                    old: "\(relation.kind.label), \(relation.columns.count) columns"))
        }
        return changes
    }

    static func columnChanges(_ before: Relation, _ after: Relation) -> [CatalogChange] {
        var changes: [CatalogChange] = []
        let table = after.name
        let oldByPosition = Dictionary(before.columns.map { ($0.position, $0) }, uniquingKeysWith: { a, _ in a })
        let newPositions = Set(after.columns.map(\.position))
        for column in after.columns {
            guard let previous = oldByPosition[column.position] else {
                changes.append(
                    CatalogChange(kind: .columnAdded, table: table, column: column.name, new: describe(column)))
                continue
            }
            if previous.name != column.name {
                changes.append(
                    CatalogChange(
                        kind: .columnRenamed, table: table, column: column.name, old: previous.name, new: column.name))
            }
            if previous.formattedType != column.formattedType {
                changes.append(
                    CatalogChange(
                        kind: .typeChanged, table: table, column: column.name, old: previous.formattedType,
                        new: column.formattedType))
            }
            if previous.isNullable != column.isNullable {
                changes.append(
                    CatalogChange(
                        kind: .nullabilityChanged, table: table, column: column.name,
                        old: previous.isNullable ? "null" : "not null", new: column.isNullable ? "null" : "not null"))
            }
            if previous.defaultExpression != column.defaultExpression {
                changes.append(
                    CatalogChange(
                        kind: .defaultChanged, table: table, column: column.name,
                        old: previous.defaultExpression ?? "none", new: column.defaultExpression ?? "none"))
            }
            if previous.primaryKeyPosition != column.primaryKeyPosition {
                changes.append(
                    CatalogChange(
                        kind: .primaryKeyChanged, table: table, column: column.name,
                        old: previous.primaryKeyPosition.map { "PK position \($0)" } ?? "not in PK",
                        new: column.primaryKeyPosition.map { "PK position \($0)" } ?? "not in PK"))
            }
            if previous.comment != column.comment {
                changes.append(
                    CatalogChange(
                        kind: .commentChanged, table: table, column: column.name, old: previous.comment ?? "none",
                        new: column.comment ?? "none"))
            }
        }
        for column in before.columns where !newPositions.contains(column.position) {
            changes.append(
                CatalogChange(kind: .columnDropped, table: table, column: column.name, old: describe(column)))
        }
        return changes
    }

    static func describe(_ column: CatalogColumn) -> String {
        column.formattedType + (column.isNullable ? "" : " not null") + (column.isPrimaryKey ? " PK" : "")
    }
}
