import BuiltInThemes
import Dashboard
import Foundation
import Terminal
import Testing

/// ncurses for real, drawing to /dev/null: initialisation, colours, wide text, teardown.
@MainActor
struct TerminalSmokeTests {
    @Test func drawsAFrameAndRestores() throws {
        setenv("TERM", "xterm-256color", 1)
        guard let input = fopen("/dev/null", "r"), let output = fopen("/dev/null", "w") else {
            Issue.record("cannot open /dev/null")
            return
        }
        defer {
            fclose(input)
            fclose(output)
        }
        let theme = ThemeCatalog(builtIns: BuiltInThemes.files).builtIn("default")!
        let screen = try TerminalScreen(
            theme: theme, useColor: true, inputTimeoutMilliseconds: 0, streams: (input, output))
        #expect(screen.size.width > 0 && screen.size.height > 0)
        var model = DashboardModel(status: StatusFixture.status)
        var frame = Frame(width: screen.size.width, height: screen.size.height)
        Renderer.draw(&model, on: &frame, now: StatusFixture.pollTime)
        screen.draw(frame)
        #expect(screen.readKey() == nil)
        screen.end()
        screen.end() // idempotent
    }
}
