import Checks
import Contracts
import Foundation

/// The life of one violation: when it was first and last seen, and when it was resolved.
public struct HistoryRecord: Sendable, Hashable {
    public var key: String
    public var contract: String
    public var file: String
    public var schema: String
    public var table: String
    public var column: String?
    public var kind: String
    public var firstSeen: Date
    /// False when the violation was already open when watching started: `firstSeen` is then
    /// only a lower bound.
    public var firstSeenExact: Bool
    public var lastSeen: Date
    public var resolvedAt: Date?
    /// The catalog change that opened it, when the checker saw it happen.
    public var cause: String?

    public var isOpen: Bool { resolvedAt == nil }
}

/// Violation lifecycles for one database. Pure: polls in, records out; `HistoryStore` persists it.
public struct ViolationHistory: Sendable, Hashable {
    public var records: [String: HistoryRecord] = [:]

    /// Resolved records older than this are forgotten.
    public static let retention: TimeInterval = 30 * 86_400

    public init(records: [String: HistoryRecord] = [:]) {
        self.records = records
    }

    public static func key(_ id: ViolationID) -> String {
        "\(id.file)|\(id.column ?? "")|\(id.kind.rawValue)"
    }

    public func record(for id: ViolationID) -> HistoryRecord? { records[Self.key(id)] }

    /// Applies one full poll. `appeared`: violations seen to appear while watching (exact first
    /// seen); the others were already open. Returns whether anything opened or resolved.
    @discardableResult
    public mutating func apply(_ violations: [Violation], at exactTime: Date, appeared: Set<ViolationID>, causes: [ViolationID: String]) -> Bool {
        // Milliseconds, as stored: what is remembered in memory and on disk is the same.
        let time = Date(timeIntervalSince1970: (exactTime.timeIntervalSince1970 * 1000).rounded() / 1000)
        var changed = false
        var open: Set<String> = []
        for violation in violations {
            let key = Self.key(violation.id)
            open.insert(key)
            if var existing = records[key], existing.isOpen {
                existing.lastSeen = time
                if existing.cause == nil, let cause = causes[violation.id] { existing.cause = cause }
                records[key] = existing
                continue
            }
            records[key] = HistoryRecord(
                key: key, contract: violation.contract, file: violation.file, schema: violation.schema, table: violation.table,
                column: violation.column, kind: violation.kind.rawValue, firstSeen: time, firstSeenExact: appeared.contains(violation.id),
                lastSeen: time, resolvedAt: nil, cause: causes[violation.id]
            )
            changed = true
        }
        for (key, record) in records where record.isOpen && !open.contains(key) {
            records[key]?.resolvedAt = time
            changed = true
        }
        let horizon = time.addingTimeInterval(-Self.retention)
        records = records.filter { $0.value.resolvedAt.map { $0 > horizon } ?? true }
        return changed
    }

    /// Marks every open record as seen now (a poll that found nothing changed).
    public mutating func touch(at time: Date) {
        for key in records.keys where records[key]?.isOpen == true { records[key]?.lastSeen = time }
    }

    public var resolved: [HistoryRecord] {
        records.values.filter { !$0.isOpen }.sorted { ($0.resolvedAt ?? .distantPast) > ($1.resolvedAt ?? .distantPast) }
    }

    // MARK: - Persistence format (JSON, times as epoch milliseconds)

    public func json(database: String) -> String {
        func ms(_ date: Date) -> JSONText { .int(Int((date.timeIntervalSince1970 * 1000).rounded())) }
        let list = records.values.sorted { $0.key < $1.key }.map { record -> JSONText in
            .object([
                ("key", .string(record.key)), ("contract", .string(record.contract)), ("file", .string(record.file)),
                ("schema", .string(record.schema)), ("table", .string(record.table)), ("column", .optional(record.column)),
                ("kind", .string(record.kind)), ("first_seen", ms(record.firstSeen)), ("first_seen_exact", .bool(record.firstSeenExact)),
                ("last_seen", ms(record.lastSeen)), ("resolved_at", record.resolvedAt.map(ms) ?? .null), ("cause", .optional(record.cause)),
            ])
        }
        return JSONText.object([("version", .int(1)), ("database", .string(database)), ("violations", .array(list))]).rendered() + "\n"
    }

    public static func parse(_ text: String) -> ViolationHistory? {
        guard let root = try? PositionedJSONParser.parse(Array(text.utf8)), case .array(let items)? = root["violations"]?.value else { return nil }
        func string(_ node: PositionedJSON, _ key: String) -> String? {
            if case .string(let text)? = node[key]?.value { return text }
            return nil
        }
        func date(_ node: PositionedJSON, _ key: String) -> Date? {
            node[key]?.integerValue.map { Date(timeIntervalSince1970: Double($0) / 1000) }
        }
        var history = ViolationHistory()
        for item in items {
            guard let key = string(item, "key"), let first = date(item, "first_seen"), let last = date(item, "last_seen") else { continue }
            var exact = false
            if case .bool(let flag)? = item["first_seen_exact"]?.value { exact = flag }
            history.records[key] = HistoryRecord(
                key: key, contract: string(item, "contract") ?? "", file: string(item, "file") ?? "", schema: string(item, "schema") ?? "",
                table: string(item, "table") ?? "", column: string(item, "column"), kind: string(item, "kind") ?? "",
                firstSeen: first, firstSeenExact: exact, lastSeen: last, resolvedAt: date(item, "resolved_at"), cause: string(item, "cause")
            )
        }
        return history
    }
}
