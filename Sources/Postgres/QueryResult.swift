import CLibPQ

/// A query result in text format, read in place from libpq's buffer (no copy of the whole
/// result): large catalog snapshots decode straight into their model.
public final class QueryResult {
    private let result: OpaquePointer
    public let rowCount: Int
    public let columnCount: Int

    init(_ result: OpaquePointer) {
        self.result = result
        rowCount = Int(PQntuples(result))
        columnCount = Int(PQnfields(result))
    }

    deinit { PQclear(result) }

    public func columnName(_ column: Int) -> String {
        String(cString: PQfname(result, Int32(column)))
    }

    public func isNull(_ row: Int, _ column: Int) -> Bool {
        PQgetisnull(result, Int32(row), Int32(column)) == 1
    }

    public func string(_ row: Int, _ column: Int) -> String? {
        // libpq knows the length: no strlen over every value of a large snapshot. Only an empty
        // value can be NULL, so only then is it asked.
        let length = Int(PQgetlength(result, Int32(row), Int32(column)))
        if length == 0 { return isNull(row, column) ? nil : "" }
        let bytes = UnsafeRawPointer(PQgetvalue(result, Int32(row), Int32(column))!).assumingMemoryBound(to: UInt8.self)
        return String(decoding: UnsafeBufferPointer(start: bytes, count: length), as: UTF8.self)
    }

    /// Parses a decimal integer in place; nil for NULL or anything that is not an integer.
    public func int(_ row: Int, _ column: Int) -> Int? {
        // No PQgetisnull: a NULL reads as "" (no digits), which is nil here anyway. A snapshot
        // reads a dozen numbers from each of 100k rows; every libpq call checks its arguments.
        guard var pointer = PQgetvalue(result, Int32(row), Int32(column)) else { return nil }
        var negative = false
        if pointer.pointee == 0x2D {
            negative = true
            pointer += 1
        }
        var value = 0
        var digits = 0
        while pointer.pointee >= 0x30 && pointer.pointee <= 0x39 {
            value = value &* 10 &+ Int(pointer.pointee - 0x30)
            digits += 1
            pointer += 1
        }
        guard digits > 0, pointer.pointee == 0 else { return nil }
        return negative ? -value : value
    }

    /// Text-format booleans are `t` / `f`.
    public func bool(_ row: Int, _ column: Int) -> Bool? {
        // A NULL reads as "" (see `int`): only `t` and `f` are booleans.
        switch PQgetvalue(result, Int32(row), Int32(column))?.pointee {
        case 0x74: true
        case 0x66: false
        default: nil
        }
    }
}
