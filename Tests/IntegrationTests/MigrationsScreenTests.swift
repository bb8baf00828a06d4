import DemoDatabase
import Foundation
import Testing

/// The Migrations screen as a person uses it: the shipped demo migrations are previewed; saving
/// a file updates the screen and marks what changed; a syntax error shows its line and message
/// instead of stale results; applying a file for real opens a live violation that names it.
struct MigrationsScreenTests {
    typealias Tmux = DashboardEndToEndTests.Tmux

    @Test func editingAFileUpdatesTheScreenAndApplyingItNamesTheFile() throws {
        let dsn = try freshDatabase(DemoDatabase.schemaSQL)
        let binary = try binaryPath()
        let state = NSTemporaryDirectory() + "cw-e2e-state-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: state) }
        // The demo's own examples.
        let safe = try String(contentsOfFile: repositoryRoot + "/migrations/001_object_dimensions.sql", encoding: .utf8)
        let breaking = try String(contentsOfFile: repositoryRoot + "/migrations/002_split_images.sql", encoding: .utf8)
        let folder = try ContractDirectory(["001_object_dimensions.sql": safe, "002_split_images.sql": breaking])
        let tmux = try Tmux()
        defer { tmux.kill() }
        let command =
            "env XDG_STATE_HOME=\(DashboardEndToEndTests.shellQuote(state)) TERM=xterm-256color "
            + "\(DashboardEndToEndTests.shellQuote(binary)) watch --dsn \(DashboardEndToEndTests.shellQuote(dsn)) "
            + "--contracts \(DashboardEndToEndTests.shellQuote(repositoryRoot + "/contracts")) --interval 1 "
            + "--migrations \(DashboardEndToEndTests.shellQuote(folder.path)); echo EXIT=$?; sleep 60"
        try tmux.run(["new-session", "-d", "-s", tmux.session, "-x", "120", "-y", "40", command])
        _ = try #require(try tmux.waitFor("● connected"), "dashboard did not connect")

        try tmux.keys("6")
        let first = try #require(try tmux.waitFor("✗ breaks 1", seconds: 30), "\((try? tmux.screen()) ?? "")")
        #expect(first.contains("6 Migrations 2"), "\(first)")
        #expect(first.contains("numbered layout"))
        #expect(first.lines(containing: "001_object_dimensions.sql").contains("✓ safe"), "\(first)")
        #expect(first.lines(containing: "002_split_images.sql").contains("CW105"), "\(first)")
        #expect(first.lines(containing: "002_split_images.sql").contains("Data Engineering Team"), "\(first)")

        // Save the safe file with a change that breaks a contract: the screen follows and marks it.
        try folder.write(
            "001_object_dimensions.sql",
            safe + "\nALTER TABLE object_images ALTER COLUMN primary_image TYPE varchar(20);\n")
        let edited = try #require(
            try tmux.waitFor("+2", seconds: 10), "the screen did not follow the save: \((try? tmux.screen()) ?? "")")
        let row = edited.lines(containing: "001_object_dimensions.sql")
        #expect(row.contains("✗ breaks 1") && row.contains("CW101"), "\(edited)")
        #expect(row.contains("●"), "a file that changed since the last save is marked: \(edited)")

        // Its detail: the statement, the finding, the rewrite hazard with its recipe.
        try tmux.keys("g", "Enter")
        _ = try #require(try tmux.waitFor("STATEMENT AND WHAT IT WOULD DO"))
        // Waited for rather than read off the first frame with the heading: with every suite
        // running at once that frame once lacked the findings (not reproduced alone; cause not
        // found), and the assertions below hold on the frame that has them.
        let detail = try #require(
            try tmux.waitFor("CW101 error: rewrites public.object_images", seconds: 10),
            "\((try? tmux.screen()) ?? "")")
        #expect(detail.contains("✗ breaks data_type public.object_images.primary_image"), "\(detail)")
        #expect(detail.contains("CW101 error: rewrites public.object_images"), "\(detail)")
        #expect(detail.contains("2 new findings (●), 0 gone"), "\(detail)")
        try tmux.keys("Escape")

        // A syntax error: its file, line and message replace the results.
        try folder.write("001_object_dimensions.sql", safe + "\nALTER TABL object_images ADD COLUMN x int;\n")
        let broken = try #require(
            try tmux.waitFor("syntax error", seconds: 10), "\((try? tmux.screen()) ?? "")")
        #expect(broken.contains("Fails      001_object_dimensions.sql:12"), "\(broken)")
        #expect(broken.lines(containing: "001_object_dimensions.sql ").contains("! fails at line 12"), "\(broken)")
        #expect(!broken.contains("✗ breaks"), "no stale results: \(broken)")

        try folder.write("001_object_dimensions.sql", safe)
        _ = try #require(try tmux.waitFor("✓ safe", seconds: 10), "\((try? tmux.screen()) ?? "")")

        // Applied for real, with psql: the live violation and the catalog change name the file.
        let psql = try runProcess(
            try cluster().clientTool("psql"),
            ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", dsn, "-f", folder.path + "/002_split_images.sql"])
        #expect(psql.status == 0, "\(psql.stderr)")
        _ = try #require(try tmux.waitFor("3 Violations 1", seconds: 5), "\((try? tmux.screen()) ?? "")")
        try tmux.keys("5")
        let changes = try #require(try tmux.waitFor("OLD → NEW"))
        #expect(changes.lines(containing: "additional_images").contains("002_split_images.sql"), "\(changes)")
        try tmux.keys("3")
        _ = try #require(try tmux.waitFor("column_missing"))
        try tmux.keys("Enter")
        let violation = try #require(try tmux.waitFor("Caused by"))
        #expect(violation.contains("caused by 002_split_images.sql"), "\(violation)")

        try tmux.keys("q")
        _ = try #require(try tmux.waitFor("EXIT=0"), "contractwatch did not exit with 0")
    }
}

extension String {
    /// The lines that contain `text`, joined (for assertions on one row of a screen).
    fileprivate func lines(containing text: String) -> String {
        split(separator: "\n").filter { $0.contains(text) }.joined(separator: "\n")
    }
}
