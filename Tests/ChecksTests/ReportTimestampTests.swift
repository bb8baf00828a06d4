import Foundation
import Reports
import Testing

/// The reports' `checked_at` is computed by hand; it must say what Foundation's ISO 8601 format
/// (UTC, whole seconds) says, around leap days, century rules and before 1970 too.
struct ReportTimestampTests {
    static func foundation(_ date: Date) -> String {
        date.formatted(
            .iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: false)
                .timeSeparator(.colon).timeZone(separator: .omitted))
    }

    @Test(arguments: [
        (0.0, "1970-01-01T00:00:00Z"),
        (-0.5, "1969-12-31T23:59:59Z"),
        (-86_400.0, "1969-12-31T00:00:00Z"),
        (951_782_400.0, "2000-02-29T00:00:00Z"),
        (1_709_251_199.0, "2024-02-29T23:59:59Z"),
        (1_790_000_000.0, "2026-09-21T14:13:20Z"),
        (-2_203_891_200.0, "1900-03-01T00:00:00Z"),
        (4_107_542_400.0, "2100-03-01T00:00:00Z"),
    ])
    func knownInstants(seconds: Double, expected: String) {
        #expect(CheckReport.utcTimestamp(Date(timeIntervalSince1970: seconds)) == expected)
    }

    @Test func agreesWithFoundationOverFiveCenturies() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let date = Date(
                timeIntervalSince1970: Double.random(in: -8_000_000_000...12_000_000_000, using: &generator))
            #expect(CheckReport.utcTimestamp(date) == Self.foundation(date), "\(date.timeIntervalSince1970)")
        }
    }
}
