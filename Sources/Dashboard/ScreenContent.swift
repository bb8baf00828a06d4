import Catalog
import Checks

/// Where the user is. List screens are the roots; details are pushed on top (`Esc` pops).
public enum Route: Hashable, Sendable {
    case contracts
    case tables
    case violations
    case owners
    case changes
    case notices
    case migrations
    /// A pending migration file of the watched folder: its statements and findings.
    case migration(String)
    /// A contract file: its columns, or (invalid) its error with the offending lines.
    case contract(file: String)
    case table(QualifiedName)
    indirect case violation(ViolationID)
    /// A violation the last preview says the migration would introduce.
    indirect case wouldBreak(ViolationID)
    case owner(String)
    /// One catalog change (by its row id on the Changes screen).
    case change(String)

    /// The root screen this route is, nil for a detail.
    public var screen: ScreenID? {
        switch self {
        case .contracts: .contracts
        case .tables: .tables
        case .violations: .violations
        case .owners: .owners
        case .changes: .changes
        case .notices: .notices
        case .migrations: .migrations
        default: nil
        }
    }

    public var isDetail: Bool { screen == nil }

    /// Whether the screen shows something that ages while nothing else changes (how long a
    /// violation has been open, the "new" mark of the last minute): only these are rebuilt as
    /// time passes.
    public var showsAges: Bool {
        switch self {
        case .violations, .owners, .owner, .violation: true
        default: false
        }
    }
}

/// How a value sorts: numbers numerically, text case-insensitively.
public enum SortKey: Sendable, Hashable, Comparable {
    case number(Double)
    case text(String)

    public static func < (lhs: SortKey, rhs: SortKey) -> Bool {
        switch (lhs, rhs) {
        case (.number(let a), .number(let b)): a < b
        case (.text(let a), .text(let b)): a.localizedLowercase < b.localizedLowercase
        case (.number, .text): true
        case (.text, .number): false
        }
    }
}

public struct ColumnSpec: Sendable, Hashable {
    /// Where text that does not fit is cut (an ellipsis marks the cut).
    public enum Cut: Sendable, Hashable {
        case end
        /// Keep the end: `…object_images.additional_images` still says which column.
        case start
        case middle
    }

    public var title: String
    public var minWidth: Int
    public var maxWidth: Int
    /// Flexible columns shrink toward `minWidth` when space is short and take what is left over.
    public var flexible: Bool
    public var alignRight: Bool
    /// 0: the column identifies the row (WHERE, TABLE, ACTUAL…): it is cut last and never
    /// hidden while a lower-priority column shows. Higher numbers shrink, then hide, first.
    public var priority: Int
    public var cut: Cut

    public var identifies: Bool { priority == 0 }

    public init(
        _ title: String, min: Int, max: Int = 60, flexible: Bool = false, alignRight: Bool = false,
        priority: Int = 1, cut: Cut = .end
    ) {
        self.title = title
        self.minWidth = min
        self.maxWidth = max
        self.flexible = flexible
        self.alignRight = alignRight
        self.priority = priority
        self.cut = cut
    }
}

public struct RowCell: Sendable, Hashable {
    public var text: String
    /// nil: the row's role.
    public var role: Role?
    public var sortKey: SortKey
    /// nil: where the column cuts.
    public var cut: ColumnSpec.Cut?

    public init(_ text: String, role: Role? = nil, sort: SortKey? = nil, cut: ColumnSpec.Cut? = nil) {
        self.text = text
        self.role = role
        self.sortKey = sort ?? .text(text)
        self.cut = cut
    }
}

public struct ContentRow: Sendable, Hashable {
    /// Identity that survives live updates (selection follows it, not the row index).
    public var id: String
    public var cells: [RowCell]
    public var role: Role
    /// What `Enter` opens.
    public var target: Route?
    /// What `y` copies (an owner's email).
    public var copyText: String?
    public var isNew: Bool

    public init(
        id: String, cells: [RowCell], role: Role = .row, target: Route? = nil, copyText: String? = nil,
        isNew: Bool = false
    ) {
        self.id = id
        self.cells = cells
        self.role = role
        self.target = target
        self.copyText = copyText
        self.isNew = isNew
    }

    var filterText: String { cells.map(\.text).joined(separator: " ") }
}

/// A line of styled segments (detail headers, owner cards).
public struct StyledLine: Sendable, Hashable {
    public var segments: [(text: String, role: Role)]

    public init(_ segments: [(String, Role)]) {
        self.segments = segments.map { (text: $0.0, role: $0.1) }
    }

    public static func == (lhs: StyledLine, rhs: StyledLine) -> Bool {
        lhs.segments.map(\.text) == rhs.segments.map(\.text) && lhs.segments.map(\.role) == rhs.segments.map(\.role)
    }

    public func hash(into hasher: inout Hasher) {
        for segment in segments {
            hasher.combine(segment.text)
            hasher.combine(segment.role)
        }
    }

    static func field(_ label: String, _ value: String, _ role: Role = .value) -> StyledLine {
        StyledLine([(TextWidth.fit(label, to: 11), .label), (value, role)])
    }
}

/// A screen's rows: an array, or rows made from their position when asked for. A 50,000-table
/// Tables screen builds only the rows that are drawn or measured (all of them only for a filter,
/// a sort, a search or an export), instead of every row whenever a new catalog arrives.
public struct RowList: RandomAccessCollection, Sendable, Hashable, ExpressibleByArrayLiteral {
    private enum Storage: Sendable {
        case array([ContentRow])
        case generated(count: Int, row: @Sendable (Int) -> ContentRow)
    }
    private let storage: Storage

    public init(_ rows: [ContentRow]) { storage = .array(rows) }

    /// `row` is called with 0..<count, as often as a row is needed: it must be cheap and pure.
    public init(count: Int, row: @escaping @Sendable (Int) -> ContentRow) {
        storage = .generated(count: count, row: row)
    }

    public init(arrayLiteral rows: ContentRow...) { storage = .array(rows) }

    public var startIndex: Int { 0 }
    public var endIndex: Int {
        switch storage {
        case .array(let rows): rows.count
        case .generated(let count, _): count
        }
    }

    public subscript(position: Int) -> ContentRow {
        switch storage {
        case .array(let rows): rows[position]
        case .generated(_, let row): row(position)
        }
    }

    public static func == (lhs: RowList, rhs: RowList) -> Bool { lhs.elementsEqual(rhs) }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        for row in self { hasher.combine(row) }
    }
}

/// Everything one screen shows: a header block and a table of rows.
public struct ScreenContent: Sendable, Hashable {
    /// The breadcrumb label of this screen.
    public var title: String
    public var header: [StyledLine]
    public var columns: [ColumnSpec]
    public var rows: RowList
    public var emptyMessage: String
    /// What `y` copies when no row offers anything (the owner of a detail screen).
    public var copyText: String?
    /// False for text to read (a diff): `j`/`k` scroll it instead of selecting lines.
    public var rowsSelectable: Bool

    public init(
        title: String, header: [StyledLine] = [], columns: [ColumnSpec], rows: [ContentRow], emptyMessage: String,
        copyText: String? = nil, rowsSelectable: Bool = true
    ) {
        self.title = title
        self.header = header
        self.columns = columns
        self.rows = RowList(rows)
        self.emptyMessage = emptyMessage
        self.copyText = copyText
        self.rowsSelectable = rowsSelectable
    }
}
