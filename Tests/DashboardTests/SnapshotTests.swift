import Dashboard
import Foundation
import Testing
import WatchModel

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

/// The states a person must be told about, and the promises of the redesign that no snapshot
/// shows by itself.
struct DashboardStateTests {
    let now = StatusFixture.pollTime.addingTimeInterval(150)

    @Test func aLostServerGetsItsOwnLineWithTheCountdownAndEveryScreenSaysTheDataIsStale() throws {
        var status = StatusFixture.status
        let reason =
            "connection to server on socket \"/tmp/demo/run/.s.PGSQL.5432\" failed: No such file or directory. "
            + "Is the server running locally and accepting connections on that socket?"
        status.state = .retrying(attempt: 3, retryAt: now.addingTimeInterval(7), reason: reason)
        for key: Key in [.character("1"), .character("3"), .character("5")] {
            var m = DashboardModel(status: status)
            _ = m.handle(key, now: now)
            var frame = Frame(width: 80, height: 24)
            Renderer.draw(&m, on: &frame, now: now)
            // The reason in two lines of its own (cut at the end), the countdown in the status bar.
            #expect(frame.line(20).hasPrefix(" connection to server on socket"), "\(frame.text)")
            #expect(frame.line(21).contains("Is the server running locally"), "\(frame.text)")
            let bar = frame.line(22)
            #expect(bar.contains("✖ disconnected · retry in 7s (attempt 3) · R retries now"), "\(bar)")
            #expect(frame.line(1).contains("⚠ stale: data 2m old"), "\(frame.line(1))")
        }
    }

    @Test func aFailedPreviewIsShownInFull() throws {
        var status = StatusFixture.status
        let error =
            "statement 2 (line 4) failed: ERROR: cannot drop column title of table object because other objects "
            + "depend on it. DETAIL: view v_titles depends on column title of table object. HINT: Use DROP ... "
            + "CASCADE to drop the dependent objects too."
        status.preview = PreviewOutcome(
            migration: "migrations/V7__drop_title.sql", at: StatusFixture.pollTime, introduced: [], fixed: [],
            error: error)
        var m = DashboardModel(status: status)
        _ = m.handle(.character("3"), now: now)
        var frame = Frame(width: 80, height: 24)
        Renderer.draw(&m, on: &frame, now: now)
        let shown = frame.text.replacingOccurrences(of: "\n", with: " ").split(separator: " ").joined(separator: " ")
        #expect(shown.contains("HINT: Use DROP ... CASCADE to drop the dependent objects too."), "\(frame.text)")
    }

    @Test func whileTooSmallOnlyQuitActs() {
        var m = DashboardModel(status: StatusFixture.status)
        var frame = Frame(width: 40, height: 10)
        Renderer.draw(&m, on: &frame, now: now)
        for key: Key in [.character("3"), .character("?"), .character(" "), .character("R"), .enter, .character("/")] {
            #expect(m.handle(key, now: now) == [])
        }
        #expect(m.route == .contracts && m.mode == .normal)
        #expect(m.handle(.character("q"), now: now) == [.quit])
        #expect(m.handle(.control("c"), now: now) == [.quit])
    }

    @Test func theCursorSitsOnTheSelectedRowForScreenReaders() {
        var m = DashboardModel(status: StatusFixture.status)
        _ = m.handle(.character("3"), now: now)
        _ = m.handle(.down, now: now)
        var frame = Frame(width: 80, height: 24)
        Renderer.draw(&m, on: &frame, now: now)
        let cursor = frame.cursor
        #expect(cursor?.x == 0)
        #expect(cursor.map { frame.line($0.y).contains("primary_image") } == true, "\(frame.text)")
    }

    @Test func exportWritesTheViewAsShownInFullAsTextOrCSV() {
        var m = DashboardModel(status: StatusFixture.status)
        _ = m.handle(.character("3"), now: now)
        for key: Key in [.character("/")] + "images".map({ Key.character($0) }) + [.enter] {
            _ = m.handle(key, now: now)
        }
        let csv = m.exportText(csv: true)
        let lines = csv.split(separator: "\n")
        #expect(lines.first == "\"\",\"LEVEL\",\"KIND\",\"WHERE\",\"EXPECTED\",\"ACTUAL\",\"CONTRACT\",\"OWNER\"")
        #expect(lines.count == 3, "the filter applies: \(csv)")
        #expect(csv.contains("\"public.object_images.additional_images\""), "never cut")
        let text = m.exportText(csv: false)
        #expect(text.contains("public.object_images.primary_image") && text.contains("Data Engineering Team"))
        // e asks where, with a default name; Enter hands the text to the host to write.
        _ = m.handle(.character("e"), now: now)
        guard case .exportPrompt(let editor) = m.mode else {
            Issue.record("e did not ask for a file name")
            return
        }
        #expect(editor.text.hasPrefix("contractwatch-violations-") && editor.text.hasSuffix(".txt"))
        for _ in 0..<4 { _ = m.handle(.backspace, now: now) }
        for character in ".csv" { _ = m.handle(.character(character), now: now) }
        let effects = m.handle(.enter, now: now)
        #expect(effects.count == 1)
        if case .export(let path, let written)? = effects.first {
            #expect(path.hasSuffix(".csv") && written == csv)
        }
    }

    @Test func aCSVCellCannotRunAsAFormula() {
        var status = StatusFixture.status
        var result = status.result!
        result.violations[0].contract = "=HYPERLINK(\"http://evil\")"
        status.result = result
        var m = DashboardModel(status: status)
        _ = m.handle(.character("3"), now: now)
        #expect(m.exportText(csv: true).contains("\"'=HYPERLINK(\"\"http://evil\"\")\""))
    }

    @Test func rebindingAKeyShowsInHelpAndHints() {
        var keys = KeyMap.standard
        let warnings = keys.apply(overrides: [("quit", ["Q"]), ("pause", ["<disabled>"]), ("nope", ["x"])])
        #expect(warnings.count == 1 && warnings[0].contains("unknown command \"nope\""))
        var m = DashboardModel(status: StatusFixture.status, keyMap: keys)
        #expect(m.handle(.character("q"), now: now) == [])
        #expect(m.handle(.character(" "), now: now) == [])
        #expect(m.handle(.character("Q"), now: now) == [.quit])
        var frame = Frame(width: 120, height: 40)
        Renderer.draw(&m, on: &frame, now: now)
        #expect(frame.line(39).contains("Q quit") && !frame.line(39).contains("pause"), "\(frame.line(39))")
    }
}
