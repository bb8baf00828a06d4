import Dashboard
import Foundation
import Testing

/// Screens rendered on the in-memory canvas and compared with text snapshots in `Snapshots/`.
/// To accept a deliberate change: CONTRACTWATCH_RECORD_SNAPSHOTS=1 swift test, then review the diff.
struct SnapshotTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Snapshots"
    ).path

    func expectSnapshot(_ frame: Frame, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let path = Self.directory + "/\(name).txt"
        let text = frame.text + "\n"
        if ProcessInfo.processInfo.environment["CONTRACTWATCH_RECORD_SNAPSHOTS"] == "1"
            || !FileManager.default.fileExists(atPath: path)
        {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            Issue.record("recorded a new snapshot at \(path); review it and run again", sourceLocation: sourceLocation)
            return
        }
        let expected = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text == expected, "differs from \(path)", sourceLocation: sourceLocation)
    }

    func model(_ keys: [Key] = []) -> DashboardModel {
        var model = DashboardModel(status: StatusFixture.status, hints: ["  psql -h /tmp/demo/run -U postgres"])
        for key in keys { _ = model.handle(key, now: StatusFixture.pollTime.addingTimeInterval(-100)) }
        return model
    }

    @Test(arguments: [(120, 40), (80, 24)])
    func contractsScreen(width: Int, height: Int) throws {
        var m = model()
        try expectSnapshot(StatusFixture.render(&m, width: width, height: height), "contracts_\(width)x\(height)")
    }

    @Test(arguments: [(120, 40), (80, 24)])
    func violationsScreen(width: Int, height: Int) throws {
        var m = model([.character("3")])
        try expectSnapshot(StatusFixture.render(&m, width: width, height: height), "violations_\(width)x\(height)")
    }

    @Test(arguments: [(120, 40), (80, 24)])
    func violationDetail(width: Int, height: Int) throws {
        var m = model([.character("3"), .enter])
        try expectSnapshot(
            StatusFixture.render(&m, width: width, height: height), "violation_detail_\(width)x\(height)")
    }

    @Test func aLatePollSaysItIsWaitingForTheServer() throws {
        var status = StatusFixture.status
        status.state = .connected
        // 1 s into a poll: still "connected"; 7 s into it: waiting, and for how long.
        status.pollStartedAt = StatusFixture.pollTime
        var m = DashboardModel(status: status, hints: [])
        var early = Frame(width: 80, height: 24)
        Renderer.draw(&m, on: &early, now: StatusFixture.pollTime.addingTimeInterval(1))
        #expect(early.text.contains("● connected"))
        var late = Frame(width: 80, height: 24)
        Renderer.draw(&m, on: &late, now: StatusFixture.pollTime.addingTimeInterval(7))
        #expect(late.text.contains("◌ waiting for the server (7s)"), "\(late.text)")
        #expect(!late.text.contains("● connected"))
    }

    @Test func tablesScreenWithWideCharacters() throws {
        var m = model([.character("2")])
        let frame = StatusFixture.render(&m, width: 120, height: 40)
        try expectSnapshot(frame, "tables_120x40")
        // The KIND column starts at the same terminal column on every row, CJK or not.
        let kindColumn = (0..<frame.width).first { x in
            frame.line(2).hasPrefix(" TABLE") && frame[x, 2].character == "K"
        }
        for y in 3..<7 {
            let row = frame.line(y)
            #expect(row.contains("table") || row.contains("view"))
            if let x = kindColumn {
                #expect(frame[x, y].character != " " || frame[x - 1, y].character == " ", "row \(y) misaligned: \(row)")
            }
        }
    }

    @Test func ownersScreen() throws {
        var m = model([.character("4")])
        try expectSnapshot(StatusFixture.render(&m, width: 80, height: 24), "owners_80x24")
    }

    @Test func contractDetail() throws {
        var m = model([.character("1"), .character("G"), .enter])
        try expectSnapshot(StatusFixture.render(&m, width: 120, height: 40), "contract_detail_120x40")
    }

    @Test func tableDetailWithUnicodeNames() throws {
        var m = model([.character("2"), .character("g"), .enter])
        try expectSnapshot(StatusFixture.render(&m, width: 120, height: 40), "table_detail_120x40")
    }

    @Test func helpOverlay() throws {
        var m = model([.character("?")])
        try expectSnapshot(StatusFixture.render(&m, width: 80, height: 24), "help_80x24")
    }

    @Test func filterMode() throws {
        var m = model([.character("/"), .character("i"), .character("m"), .character("a")])
        try expectSnapshot(StatusFixture.render(&m, width: 80, height: 24), "filter_80x24")
    }

    @Test(arguments: [(50, 10), (20, 4)])
    func tooSmall(width: Int, height: Int) throws {
        var m = model()
        let frame = StatusFixture.render(&m, width: width, height: height)
        try expectSnapshot(frame, "too_small_\(width)x\(height)")
        #expect(frame.text.contains("too small") || height < 4)
    }
}
