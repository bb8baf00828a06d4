import Catalog
import Checks

/// What a migration assumes about the target's data, found by comparing the catalog before and
/// after it ran (on the copy or in place), as read-only queries for the target (`--data-checks`):
/// NULLs in a column about to become NOT NULL, rows in a table that gets a NOT NULL column
/// without a default, duplicates before a UNIQUE index or primary key, rows in a table about to
/// be dropped, values in a column about to be dropped. Pure: planning here, running in Watch.
public struct DataCheck: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// SET NOT NULL (or a primary key) on a column that holds NULLs fails.
        case nulls = "nulls_before_not_null"
        /// ADD COLUMN … NOT NULL without a default fails on a table with rows.
        case rowsBeforeRequiredColumn = "rows_before_required_column"
        /// A UNIQUE index or primary key on duplicated values fails.
        case duplicates = "duplicates_before_unique"
        /// DROP TABLE deletes its rows.
        case droppedRows = "rows_in_dropped_table"
        /// DROP COLUMN deletes its values.
        case droppedValues = "values_in_dropped_column"
    }

    public enum Outcome: Sendable, Hashable {
        /// The data is as the migration needs (or nothing is lost).
        case passed
        /// The query found what the check looks for.
        case found
        /// The query could not answer (timeout, permission): neither passed nor found.
        case unanswered(String)
    }

    public var kind: Kind
    public var table: QualifiedName
    public var columns: [String]
    /// The statement (1-based) and line it is about.
    public var statement: Int
    public var line: Int
    /// The migration file of the statement, when several are previewed together.
    public var file: String? = nil
    /// "line 3", or "V7__split.sql:3" when it names its file.
    public var location: String { file.map { "\($0):\(line)" } ?? "line \(line)" }
    /// A read-only query answering one boolean: true when found.
    public var sql: String
    public var outcome: Outcome?

    public init(
        kind: Kind, table: QualifiedName, columns: [String], statement: Int, line: Int, sql: String,
        outcome: Outcome? = nil
    ) {
        self.kind = kind
        self.table = table
        self.columns = columns
        self.statement = statement
        self.line = line
        self.sql = sql
        self.outcome = outcome
    }

    /// Found means the migration would fail on the target (an error), or lose data (a warning).
    public var severity: Severity {
        switch kind {
        case .nulls, .rowsBeforeRequiredColumn, .duplicates: .error
        case .droppedRows, .droppedValues: .warning
        }
    }

    /// One line: what was asked and what the target said.
    public var summary: String {
        let place = columns.isEmpty ? table.description : "\(table.description) (\(columns.joined(separator: ", ")))"
        let found: String
        let passed: String
        switch kind {
        case .nulls:
            (found, passed) = ("\(place) holds NULLs: NOT NULL will fail", "\(place) holds no NULLs")
        case .rowsBeforeRequiredColumn:
            (found, passed) = (
                "\(table.description) has rows: a NOT NULL column without a default will fail",
                "\(table.description) is empty"
            )
        case .duplicates:
            (found, passed) = ("\(place) holds duplicates: the unique index will fail", "\(place) holds no duplicates")
        case .droppedRows:
            (found, passed) = ("\(table.description) has rows that the drop deletes", "\(table.description) is empty")
        case .droppedValues:
            (found, passed) = ("\(place) holds values that the drop deletes", "\(place) holds only NULLs")
        }
        switch outcome {
        case .found: return found
        case .passed: return passed
        case .unanswered(let reason): return "\(place): not answered (\(reason))"
        case nil: return "\(place): not run"
        }
    }

    /// A unique index the migration created on a table that existed before it.
    public struct NewUniqueIndex: Sendable, Hashable {
        public var table: QualifiedName
        /// Key column numbers (attnum); empty for an expression or partial index (not checked).
        public var columns: [Int]
        public var isPrimary: Bool

        public init(table: QualifiedName, columns: [Int], isPrimary: Bool) {
            self.table = table
            self.columns = columns
            self.isPrimary = isPrimary
        }
    }

    /// The checks the change from `before` to `after` calls for. `droppedTables`: tables that
    /// existed before and are gone (observed by oid, so a rename is no drop).
    public static func plan(
        before: CatalogSnapshot, after: CatalogSnapshot, droppedTables: [QualifiedName],
        newUniqueIndexes: [NewUniqueIndex], statements: [MigrationScript.Statement]
    ) -> [DataCheck] {
        var checks: [DataCheck] = []
        func add(_ kind: Kind, _ table: QualifiedName, _ columns: [String], _ predicate: String) {
            let (statement, line) = locate(table, columns, statements)
            checks.append(
                DataCheck(
                    kind: kind, table: table, columns: columns, statement: statement, line: line,
                    sql: "SELECT EXISTS (SELECT 1 FROM \(quoted(table))\(predicate))", outcome: nil))
        }
        for old in before.relations where old.kind == .table || old.kind == .partitionedTable {
            guard let new = after.relation(old.name) else { continue }
            let oldColumns = Dictionary(old.columns.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
            let newPositions = Set(new.columns.map(\.position))
            for column in new.columns where !column.isNullable {
                if let was = oldColumns[column.name] {
                    if was.isNullable { add(.nulls, old.name, [column.name], " WHERE \(quoted(column.name)) IS NULL") }
                } else if column.defaultExpression == nil {
                    add(.rowsBeforeRequiredColumn, old.name, [column.name], "")
                }
            }
            let newNames = Set(new.columns.map(\.name))
            // Gone under its name and its position (attnum) unused: dropped, not renamed.
            for column in old.columns where !newNames.contains(column.name) && !newPositions.contains(column.position) {
                add(.droppedValues, old.name, [column.name], " WHERE \(quoted(column.name)) IS NOT NULL")
            }
        }
        for index in newUniqueIndexes where !index.columns.isEmpty {
            // The names the target knows (a column renamed later in the script has its old name
            // there); a key column the migration adds is not on the target: nothing to ask.
            guard let old = before.relation(index.table) else { continue }
            let names = index.columns.compactMap { number in old.columns.first { $0.position == number }?.name }
            guard names.count == index.columns.count else { continue }
            let list = names.map(quoted).joined(separator: ", ")
            let notNull = names.map { "\(quoted($0)) IS NOT NULL" }.joined(separator: " AND ")
            add(.duplicates, index.table, names, " WHERE \(notNull) GROUP BY \(list) HAVING count(*) > 1")
        }
        for table in droppedTables {
            guard let old = before.relation(table), old.kind == .table || old.kind == .partitionedTable else {
                continue
            }
            add(.droppedRows, table, [], "")
        }
        // In the script's order (a stable sort: within a statement, as found).
        return checks.enumerated().sorted { ($0.element.statement, $0.offset) < ($1.element.statement, $1.offset) }
            .map(\.element)
    }

    /// An identifier always in double quotes (a keyword or mixed case as a name stays a name).
    static func quoted(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func quoted(_ name: QualifiedName) -> String { quoted(name.schema) + "." + quoted(name.name) }

    /// The first statement naming the table and a column, else the table; (0, 0) when none does.
    static func locate(_ table: QualifiedName, _ columns: [String], _ statements: [MigrationScript.Statement])
        -> (statement: Int, line: Int)
    {
        // As written: plain, or double-quoted with its quotes doubled.
        func names(_ statement: MigrationScript.Statement, _ word: String) -> Bool {
            statement.text.range(of: word, options: .caseInsensitive) != nil
                || statement.text.contains(quoted(word))
        }
        let found =
            statements.firstIndex { statement in
                names(statement, table.name) && (columns.isEmpty || columns.contains { names(statement, $0) })
            } ?? statements.firstIndex { names($0, table.name) }
        return found.map { ($0 + 1, statements[$0].line) } ?? (0, 0)
    }
}
