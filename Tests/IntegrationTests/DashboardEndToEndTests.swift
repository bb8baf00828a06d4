import DemoDatabase
import Foundation
import Testing

/// Drives the real binary in tmux against a real PostgreSQL, as a person would: start, see the
/// contracts, drop a contracted column with a migration, see the violation, open it, read the
/// diff and the owner's email, resize to 40×12 and back, quit with q.
struct DashboardEndToEndTests {
    /// A private tmux server, so the test never touches a person's sessions.
    struct Tmux {
        let socket = "cw-e2e-" + UUID().uuidString.prefix(8)
        let session = "cw"
        let tmux: String

        init() throws {
            guard
                let found = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"].first(where: {
                    FileManager.default.isExecutableFile(atPath: $0)
                })
            else {
                Issue.record("tmux is not installed (scripts/install-packages.sh installs it)")
                throw CancellationError()
            }
            tmux = found
        }

        @discardableResult
        func run(_ arguments: [String]) throws -> String {
            try runProcess(tmux, ["-L", socket] + arguments).stdout
        }

        func screen() throws -> String { try run(["capture-pane", "-p", "-t", session]) }

        /// Waits until the screen contains `text`; returns the screen, or nil after `seconds`.
        func waitFor(_ text: String, seconds: Double = 10) throws -> String? {
            let deadline = Date().addingTimeInterval(seconds)
            repeat {
                let shown = try screen()
                if shown.contains(text) { return shown }
                Thread.sleep(forTimeInterval: 0.1)
            } while Date() < deadline
            return nil
        }

        func keys(_ keys: String...) throws { try run(["send-keys", "-t", session] + keys) }

        func kill() { _ = try? run(["kill-server"]) }

        /// The process the pane's shell runs (the dashboard: a shell stays in between, as in a
        /// person's terminal).
        func dashboardProcess() throws -> Int32? {
            let shell = try run(["display-message", "-p", "-t", session, "#{pane_pid}"]).trimmingCharacters(
                in: .whitespacesAndNewlines)
            return try runProcess("/usr/bin/pgrep", ["-P", shell]).stdout.split(separator: "\n").first.flatMap {
                Int32($0)
            }
        }
    }

    static func shellQuote(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    @Test func migrationShowsUpOwnerAndDiffAreOneKeyAway() throws {
        let dsn = try freshDatabase(DemoDatabase.schemaSQL)
        let binary = try binaryPath()
        let state = NSTemporaryDirectory() + "cw-e2e-state-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: state) }
        let tmux = try Tmux()
        defer { tmux.kill() }
        let interval = 1.0
        let command =
            "env XDG_STATE_HOME=\(Self.shellQuote(state)) TERM=xterm-256color \(Self.shellQuote(binary)) watch "
            + "--dsn \(Self.shellQuote(dsn)) "
            + "--contracts \(Self.shellQuote(repositoryRoot + "/contracts")) --interval \(Int(interval)); echo "
            + "EXIT=$?; sleep 60"
        try tmux.run(["new-session", "-d", "-s", tmux.session, "-x", "120", "-y", "40", command])

        // Start: the contracts are listed and hold.
        let start = try #require(try tmux.waitFor("● connected"), "dashboard did not connect")
        #expect(start.contains("object-images-contract-spec"), "\(start)")
        #expect(start.contains("3 Violations 0"))

        // A migration in another session: the violation appears within two poll intervals
        // (plus the UI's 100 ms input tick and capture time).
        try migrate(dsn, "ALTER TABLE object_images DROP COLUMN primary_image;")
        let appeared = try tmux.waitFor("3 Violations 1", seconds: 2 * interval + 0.5)
        #expect(appeared != nil, "the violation did not appear within two poll intervals")

        // Open it: the owner and the diff are one key away.
        try tmux.keys("3")
        let list = try #require(try tmux.waitFor("column_missing"))
        #expect(list.contains("public.object_images.primary_image"))
        #expect(list.contains("●"), "the new violation is marked")
        try tmux.keys("Enter")
        let detail = try #require(try tmux.waitFor("@@ column primary_image @@"))
        #expect(detail.contains("-  data_type: text"))
        #expect(detail.contains("+  (column absent from public.object_images)"))
        #expect(detail.contains("data-eng@museum.org"))
        #expect(detail.contains("Data Engineering Team"))
        #expect(detail.contains("Violations › object_images.primary_image"))
        #expect(detail.contains("Maya Okafor"), "the owner card lists every role from owners.yaml")
        #expect(detail.contains("open since"))
        #expect(detail.contains("Caused by  column dropped public.object_images.primary_image"))
        #expect(detail.contains("image model training pipeline"), "consumers at risk are shown")
        try tmux.keys("m")
        #expect(try tmux.waitFor("copied a message to the owners") != nil)

        // Resize to 40×12 and back.
        try tmux.run(["resize-window", "-t", tmux.session, "-x", "40", "-y", "12"])
        if try tmux.waitFor("too small") == nil {
            let shown = try tmux.screen()
            let size = try tmux.run(["display-message", "-p", "-t", tmux.session, "#{window_width}x#{window_height}"])
            Issue.record("no too-small screen at 40×12 (window \(size)): \(shown)")
        }
        try tmux.run(["resize-window", "-t", tmux.session, "-x", "120", "-y", "40"])
        #expect(try tmux.waitFor("@@ column primary_image @@") != nil, "the detail did not come back after resizing")

        // The help overlay starts with this screen's keys and scrolls to the rest; Esc closes it.
        try tmux.keys("?")
        #expect(try tmux.waitFor("This screen: a detail of Violations") != nil)
        try tmux.keys("PageDown")
        #expect(try tmux.waitFor("copy the owner's email") != nil)
        try tmux.keys("Escape")

        // The Changes screen shows the migration and the violation it opened.
        try tmux.keys("5")
        // Wait for the Changes screen itself (its header), not text the previous screen also had.
        let changes = try #require(try tmux.waitFor("OLD → NEW"))
        #expect(
            changes.contains("public.object_images.primary_image")
                && changes.contains("opened column_missing primary_image"), "\(changes)")

        // The Owners screen lists the people of owners.yaml with their open violations.
        try tmux.keys("4")
        // (Waiting for a row, not the header: a capture can land between two frames.)
        let owners = try #require(try tmux.waitFor("Sam Whitfield"), "\((try? tmux.screen()) ?? "")")
        #expect(owners.contains("OPEN FOR"))
        #expect(owners.contains("Priya Raman"))
        #expect(owners.contains("Data Engineering Team") && owners.contains("Sam Whitfield"))

        // Quit: exit status 0 and the terminal restored (alternate screen off, dashboard gone).
        try tmux.keys("q")
        let after = try #require(try tmux.waitFor("EXIT=0"), "contractwatch did not exit with 0")
        #expect(!after.contains("contractwatch   1 Contracts"))
        let alternate = try tmux.run(["display-message", "-p", "-t", tmux.session, "#{alternate_on}"])
        #expect(alternate.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
    }

    @Test func sigtermRestoresTheTerminal() throws {
        let dsn = try freshDatabase(DemoDatabase.schemaSQL)
        let binary = try binaryPath()
        let tmux = try Tmux()
        defer { tmux.kill() }
        let command =
            "env XDG_STATE_HOME=\(Self.shellQuote(NSTemporaryDirectory() + "cw-e2e-term")) "
            + "\(Self.shellQuote(binary)) --dsn \(Self.shellQuote(dsn)) "
            + "--contracts \(Self.shellQuote(repositoryRoot + "/contracts")); echo EXIT=$?; sleep 60"
        try tmux.run(["new-session", "-d", "-s", tmux.session, "-x", "100", "-y", "30", command])
        _ = try #require(try tmux.waitFor("● connected"), "dashboard did not start")
        // The pane runs a shell whose child is contractwatch; signal that child.
        let pid = try #require(try tmux.dashboardProcess(), "no contractwatch process under the pane's shell")
        kill(pid, SIGTERM)
        #expect(try tmux.waitFor("EXIT=0", seconds: 15) != nil, "no clean exit on SIGTERM")
        let alternate = try tmux.run(["display-message", "-p", "-t", tmux.session, "#{alternate_on}"])
        #expect(alternate.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
    }
}

extension DashboardEndToEndTests {
    @Test func closingThePaneEndsTheDashboard() throws {
        let dsn = try freshDatabase("CREATE TABLE t (a int);")
        let binary = try binaryPath()
        let folder = try ContractDirectory(["t.json": seedContract(name: "t", table: "t", columns: [("a", "{}")])])
        let tmux = try Tmux()
        defer { tmux.kill() }
        try tmux.run([
            "new-session", "-d", "-s", tmux.session, "-x", "100", "-y", "30",
            "env XDG_STATE_HOME=\(Self.shellQuote(folder.path + "/state")) \(Self.shellQuote(binary)) --dsn "
                + "\(Self.shellQuote(dsn)) --contracts \(Self.shellQuote(folder.path)); sleep 60",
        ])
        _ = try #require(try tmux.waitFor("● connected"), "dashboard did not start")
        // A shell stays in between (`; sleep`), as in a person's terminal: the dashboard is its child.
        let pid = try #require(try tmux.dashboardProcess(), "no contractwatch process under the pane's shell")
        tmux.kill()
        // The dashboard must notice that its terminal is gone and exit, not linger forever.
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, kill(pid, 0) == 0 { Thread.sleep(forTimeInterval: 0.1) }
        #expect(kill(pid, 0) != 0, "contractwatch kept running after its terminal closed")
    }
}

extension DashboardEndToEndTests {
    /// Issue 5 in tmux: restarting the dashboard keeps "open since" and the cause; reverting the
    /// migration marks the finding resolved, and `r` lists it.
    @Test func historySurvivesARestartAndRevertResolves() throws {
        let dsn = try freshDatabase(DemoDatabase.schemaSQL)
        let binary = try binaryPath()
        let state = NSTemporaryDirectory() + "cw-e2e-history-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: state) }
        let command =
            "env XDG_STATE_HOME=\(Self.shellQuote(state)) TERM=xterm-256color \(Self.shellQuote(binary)) --dsn "
            + "\(Self.shellQuote(dsn)) "
            + "--contracts \(Self.shellQuote(repositoryRoot + "/contracts")) --interval 1; echo EXIT=$?; sleep 60"

        var tmux = try Tmux()
        try tmux.run(["new-session", "-d", "-s", tmux.session, "-x", "130", "-y", "40", command])
        _ = try #require(try tmux.waitFor("● connected"), "dashboard did not start")
        try migrate(dsn, "ALTER TABLE object_images DROP COLUMN additional_images;")
        _ = try #require(try tmux.waitFor("3 Violations 1"))
        try tmux.keys("3")
        _ = try #require(try tmux.waitFor("column_missing"))
        try tmux.keys("Enter")
        let first = try #require(try tmux.waitFor("Caused by"))
        let since = try #require(first.split(separator: "\n").first { $0.contains("open since") }.map(String.init))
        try tmux.keys("q")
        _ = try #require(try tmux.waitFor("EXIT=0"))
        tmux.kill()

        tmux = try Tmux()
        defer { tmux.kill() }
        try tmux.run(["new-session", "-d", "-s", tmux.session, "-x", "130", "-y", "40", command])
        _ = try #require(try tmux.waitFor("3 Violations 1"), "restarted dashboard did not see the violation")
        try tmux.keys("3")
        _ = try #require(try tmux.waitFor("column_missing"))
        try tmux.keys("Enter")
        let again = try #require(try tmux.waitFor("Caused by  column dropped public.object_images.additional_images"))
        let sinceAgain = again.split(separator: "\n").first { $0.contains("open since") }.map(String.init)
        // Same opening time after the restart (the "for N s" part grows).
        #expect(sinceAgain?.components(separatedBy: ", for").first == since.components(separatedBy: ", for").first)

        try migrate(dsn, "ALTER TABLE object_images ADD COLUMN additional_images text[];")
        _ = try #require(try tmux.waitFor("This violation is resolved"), "reverting did not resolve it")
        try tmux.keys("Escape")
        try tmux.keys("r")
        let resolved = try #require(try tmux.waitFor("RESOLVED"))
        #expect(resolved.contains("public.object_images.additional_images"))
        try tmux.keys("q")
        #expect(try tmux.waitFor("EXIT=0") != nil)
    }
}

extension DashboardEndToEndTests {
    /// The config file, the mouse and the detail search, as a person uses them: a profile
    /// supplies the database and the contracts folder, the mouse (on in the config) clicks a
    /// tab, double-clicks a row and scrolls with the wheel, `/` finds a name in the detail, and
    /// the quit key rebound in the config is the one that quits.
    @Test func configProfileMouseAndDetailSearch() throws {
        let dsn = try freshDatabase(DemoDatabase.schemaSQL)
        let binary = try binaryPath()
        let home = NSTemporaryDirectory() + "cw-e2e-config-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: home) }
        try FileManager.default.createDirectory(
            atPath: home + "/config/contractwatch", withIntermediateDirectories: true)
        try """
        profile: demo
        profiles:
          demo: {dsn: "\(dsn)", contracts: "\(repositoryRoot)/contracts"}
        interval: 1
        mouse: true
        keys:
          quit: [Q]
        """.write(toFile: home + "/config/contractwatch/config.yaml", atomically: true, encoding: .utf8)
        let tmux = try Tmux()
        defer { tmux.kill() }
        let command =
            "cd \(Self.shellQuote(home)) && env XDG_CONFIG_HOME=\(Self.shellQuote(home + "/config")) "
            + "XDG_STATE_HOME=\(Self.shellQuote(home + "/state")) TERM=xterm-256color \(Self.shellQuote(binary)); "
            + "echo EXIT=$?; sleep 60"
        try tmux.run(["new-session", "-d", "-s", tmux.session, "-x", "100", "-y", "30", command])
        let start = try #require(try tmux.waitFor("● connected"), "the profile did not connect")
        #expect(start.contains("object-images-contract-spec"), "the profile's contracts folder was not used")
        try migrate(dsn, "ALTER TABLE object_images DROP COLUMN additional_images;")
        let seen = try #require(try tmux.waitFor("Violations 1", seconds: 5))

        /// Sends a mouse event as xterm's SGR encoding (what ncurses asks the terminal for).
        func mouse(_ button: Int, x: Int, y: Int, release: Bool = true) throws {
            try tmux.run(["send-keys", "-t", tmux.session, "-l", "\u{1B}[<\(button);\(x + 1);\(y + 1)M"])
            if release {
                try tmux.run(["send-keys", "-t", tmux.session, "-l", "\u{1B}[<\(button);\(x + 1);\(y + 1)m"])
            }
        }
        // Home and End as a terminal sends them when terminfo says otherwise (tmux under
        // another TERM): `ESC [ 4 ~` and `ESC [ 1 ~` still jump to the last and first row.
        try tmux.run(["send-keys", "-t", tmux.session, "-l", "\u{1B}[4~"])
        #expect(try tmux.waitFor("9/9") != nil, "End (ESC [ 4 ~) did not reach the last row")
        try tmux.run(["send-keys", "-t", tmux.session, "-l", "\u{1B}[1~"])
        #expect(try tmux.waitFor("1/9") != nil, "Home (ESC [ 1 ~) did not reach the first row")
        // Click the Violations tab.
        let tabLine = try #require(seen.split(separator: "\n").first.map(String.init))
        let tabX = try #require(
            tabLine.range(of: "Violations").map { tabLine.distance(from: tabLine.startIndex, to: $0.lowerBound) })
        try mouse(0, x: tabX, y: 0)
        let list = try #require(try tmux.waitFor("additional_images"), "the click on the tab did nothing")
        // Double-click the row.
        let rowY = try #require(
            list.split(separator: "\n", omittingEmptySubsequences: false).firstIndex {
                $0.contains("additional_images")
            })
        try mouse(0, x: 10, y: rowY)
        try mouse(0, x: 10, y: rowY)
        let detail = try #require(try tmux.waitFor("Caused by"), "the double-click did not open the violation")
        #expect(detail.contains("Violations › object_images.additional_images"))
        // The wheel scrolls the detail down to its diff.
        for _ in 0..<8 { try mouse(65, x: 10, y: 10, release: false) }
        #expect(try tmux.waitFor("@@ table public.object_images as DDL @@") != nil, "the wheel did not scroll")
        // Search the detail.
        try tmux.keys("/")
        try tmux.run(["send-keys", "-t", tmux.session, "-l", "Maya"])
        try tmux.keys("Enter")
        #expect(try tmux.waitFor("search \"Maya\": 1 match") != nil)
        // q no longer quits (the config gave quit to Q); Q does.
        try tmux.keys("Escape", "q")
        Thread.sleep(forTimeInterval: 0.5)
        #expect(try tmux.screen().contains("● connected"), "q quit although the config rebound quit to Q")
        try tmux.keys("Q")
        #expect(try tmux.waitFor("EXIT=0") != nil)
    }
}

extension DashboardEndToEndTests {
    /// A crash (here a SIGSEGV from outside) restores the terminal before the process dies by
    /// the same signal.
    @Test func aCrashRestoresTheTerminal() throws {
        let dsn = try freshDatabase("CREATE TABLE t (a int);")
        let binary = try binaryPath()
        let folder = try ContractDirectory(["t.json": seedContract(name: "t", table: "t", columns: [("a", "{}")])])
        let tmux = try Tmux()
        defer { tmux.kill() }
        try tmux.run([
            "new-session", "-d", "-s", tmux.session, "-x", "100", "-y", "30",
            "env XDG_STATE_HOME=\(Self.shellQuote(folder.path + "/state")) \(Self.shellQuote(binary)) --dsn "
                + "\(Self.shellQuote(dsn)) --contracts \(Self.shellQuote(folder.path)); echo EXIT=$?; sleep 60",
        ])
        _ = try #require(try tmux.waitFor("● connected"), "dashboard did not start")
        let pid = try #require(try tmux.dashboardProcess(), "no contractwatch process under the pane's shell")
        kill(pid, SIGSEGV)
        let after = try #require(try tmux.waitFor("EXIT=139", seconds: 15), "it did not die by SIGSEGV")
        #expect(after.contains("contractwatch crashed; the terminal was restored"))
        let alternate = try tmux.run(["display-message", "-p", "-t", tmux.session, "#{alternate_on}"])
        #expect(alternate.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
    }
}
