import Postgres
import Testing

/// `QueryResult` reads values without asking libpq about NULL where a NULL cannot be mistaken
/// for a value: these pin down NULL against empty, zero, false and non-ASCII text.
struct QueryResultTests {
    @Test func nullIsTellableFromEmptyZeroAndFalse() throws {
        let connection = try Connection(ConnectionSettings(dsn: try freshDatabase()))
        let result = try connection.query("""
            SELECT NULL::text, ''::text, 'x'::text, 'é表 "q"'::text,
                   NULL::int, 0::int, -12::int8, 9223372036854775807::int8,
                   NULL::bool, true, false, 'not a number'::text
            """)
        #expect(result.string(0, 0) == nil)
        #expect(result.string(0, 1) == "")
        #expect(result.string(0, 2) == "x")
        #expect(result.string(0, 3) == "é表 \"q\"")
        #expect(result.int(0, 4) == nil)
        #expect(result.int(0, 5) == 0)
        #expect(result.int(0, 6) == -12)
        #expect(result.int(0, 7) == Int.max)
        #expect(result.bool(0, 8) == nil)
        #expect(result.bool(0, 9) == true)
        #expect(result.bool(0, 10) == false)
        #expect(result.int(0, 11) == nil, "text that is not a number")
        #expect(result.bool(0, 11) == nil, "text that is not t or f")
        #expect((0..<12).map { result.isNull(0, $0) } == [true, false, false, false, true, false, false, false, true, false, false, false])
    }
}
