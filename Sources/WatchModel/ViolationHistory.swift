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

/// What a history record is about: the finding, whatever path its contract file was read by.
/// (A struct, hashed field by field: looked up for every violation on every rebuild of a screen,
/// where building the record's `key` string each time would cost more than the screen.)
public struct HistoryKey: Sendable, Hashable {
    public var contract: String
    public var schema: String
    public var table: String
    public var column: String?
    public var kind: String

    public init(_ id: ViolationID) {
        contract = id.contract
        schema = id.table.schema
        table = id.table.name
        column = id.column
        kind = id.kind.rawValue
    }

    public init(_ record: HistoryRecord) {
        contract = record.contract
        schema = record.schema
        table = record.table
        column = record.column
        kind = record.kind
    }
}

/// Violation lifecycles for one database. Pure: polls in, records out; `HistoryStore` persists it.
public struct ViolationHistory: Sendable, Hashable {
    public var records: [HistoryKey: HistoryRecord] = [:]

    /// Resolved records older than this are forgotten.
    public static let retention: TimeInterval = 30 * 86_400

    public init(records: [HistoryKey: HistoryRecord] = [:]) {
        self.records = records
    }

    /// Records are keyed by what the finding is (contract, table, column, kind), not by the path
    /// its file was reached by: the same folder watched as `contracts` or `./contracts` or by its
    /// absolute path keeps one record per finding.
    public static func key(_ id: ViolationID) -> HistoryKey { HistoryKey(id) }

    public func record(for id: ViolationID) -> HistoryRecord? { records[Self.key(id)] }

    /// Applies one full poll. `appeared`: violations seen to appear while watching (exact first
    /// seen); the others were already open. Returns whether anything opened or resolved.
    @discardableResult
    public mutating func apply(
        _ violations: [Violation], at exactTime: Date, appeared: Set<ViolationID>, causes: [ViolationID: String]
    ) -> Bool {
        // Milliseconds, as stored: what is remembered in memory and on disk is the same.
        let time = Date(timeIntervalSince1970: (exactTime.timeIntervalSince1970 * 1000).rounded() / 1000)
        var changed = false
        var open: Set<HistoryKey> = []
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
                key: violation.id.identity, contract: violation.contract, file: violation.file,
                schema: violation.schema,
                table: violation.table,
                column: violation.column, kind: violation.kind.rawValue, firstSeen: time,
                firstSeenExact: appeared.contains(violation.id),
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
        records.values.filter { !$0.isOpen }.sorted {
            ($0.resolvedAt ?? .distantPast) > ($1.resolvedAt ?? .distantPast)
        }
    }

    // MARK: - The history file

    /// The file's format: `{"version": 2, "database": …, "violations": [records]}`, times as epoch
    /// milliseconds, keys in snake_case. Version 1 keyed records by file path; they are keyed
    /// again on reading. A newer version is not read (and so not overwritten).
    struct File: Codable {
        static let currentVersion = 2
        var version: Int
        var database: String
        var violations: [HistoryRecord]
    }

    public func json(database: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let file = File(
            version: File.currentVersion, database: database, violations: records.values.sorted { $0.key < $1.key })
        return ((try? encoder.encode(file)).map { String(decoding: $0, as: UTF8.self) } ?? "{}") + "\n"
    }

    /// nil when the text is not a history file of a version this program reads.
    public static func parse(_ text: String) -> ViolationHistory? {
        guard let file = try? JSONDecoder().decode(File.self, from: Data(text.utf8)),
            file.version <= File.currentVersion
        else { return nil }
        var records: [HistoryKey: HistoryRecord] = [:]
        for var record in file.violations {
            record.key = ViolationID.identity(
                contract: record.contract, schema: record.schema, table: record.table, column: record.column,
                kind: record.kind)
            // Two records of one finding (version 1, reached by two paths): the open one wins,
            // else the one seen last; the earliest first sighting is kept.
            let key = HistoryKey(record)
            if let other = records[key] {
                let (kept, dropped) = Self.preferred(record, other)
                var merged = kept
                if dropped.firstSeen < merged.firstSeen {
                    merged.firstSeen = dropped.firstSeen
                    merged.firstSeenExact = dropped.firstSeenExact
                }
                records[key] = merged
            } else {
                records[key] = record
            }
        }
        return ViolationHistory(records: records)
    }

    private static func preferred(_ a: HistoryRecord, _ b: HistoryRecord) -> (HistoryRecord, HistoryRecord) {
        if a.isOpen != b.isOpen { return a.isOpen ? (a, b) : (b, a) }
        return a.lastSeen >= b.lastSeen ? (a, b) : (b, a)
    }
}

extension HistoryRecord: Codable {
    enum CodingKeys: String, CodingKey {
        case key, contract, file, schema, table, column, kind, cause
        case firstSeen = "first_seen"
        case firstSeenExact = "first_seen_exact"
        case lastSeen = "last_seen"
        case resolvedAt =
            "resolved_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func date(_ key: CodingKeys) throws -> Date? {
            try container.decodeIfPresent(Int64.self, forKey: key).map {
                Date(timeIntervalSince1970: Double($0) / 1000)
            }
        }
        guard let first = try date(.firstSeen), let last = try date(.lastSeen) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: container.codingPath, debugDescription: "a record needs first_seen and last_seen"))
        }
        self.init(
            key: try container.decode(String.self, forKey: .key),
            contract: try container.decodeIfPresent(String.self, forKey: .contract) ?? "",
            file: try container.decodeIfPresent(String.self, forKey: .file) ?? "",
            schema: try container.decodeIfPresent(String.self, forKey: .schema) ?? "",
            table: try container.decodeIfPresent(String.self, forKey: .table) ?? "",
            column: try container.decodeIfPresent(String.self, forKey: .column),
            kind: try container.decodeIfPresent(String.self, forKey: .kind) ?? "", firstSeen: first,
            firstSeenExact: try container.decodeIfPresent(Bool.self, forKey: .firstSeenExact) ?? false,
            lastSeen: last, resolvedAt: try date(.resolvedAt),
            cause: try container.decodeIfPresent(String.self, forKey: .cause)
        )
    }

    public func encode(to encoder: any Encoder) throws {
        func ms(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(key, forKey: .key)
        try container.encode(contract, forKey: .contract)
        try container.encode(file, forKey: .file)
        try container.encode(schema, forKey: .schema)
        try container.encode(table, forKey: .table)
        try container.encode(column, forKey: .column)
        try container.encode(kind, forKey: .kind)
        try container.encode(ms(firstSeen), forKey: .firstSeen)
        try container.encode(firstSeenExact, forKey: .firstSeenExact)
        try container.encode(ms(lastSeen), forKey: .lastSeen)
        try container.encode(resolvedAt.map(ms), forKey: .resolvedAt)
        try container.encode(cause, forKey: .cause)
    }
}
