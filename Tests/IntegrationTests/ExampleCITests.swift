import DemoDatabase
import Foundation
import Testing

/// The shipped CI example (examples/ci/contractwatch-pr.sh, which the GitHub and GitLab jobs
/// run) on a pull request of a real git repository against a throwaway server: it writes
/// valid SARIF, GitLab and JUnit reports and the comment, and fails on what breaks.
struct ExampleCITests {
    @Test func theExamplePullRequestJobRunsAndItsReportsAreValid() throws {
        let dsn = try freshDatabase(DemoDatabase.schemaSQL)
        let repository = try ContractDirectory([:])
        let root = repository.path
        func git(_ arguments: String...) throws {
            let run = try runProcess(
                "/usr/bin/env", ["git", "-C", root, "-c", "user.name=T", "-c", "user.email=t@example.com"] + arguments)
            #expect(run.status == 0, "git \(arguments): \(run.stderr)")
        }
        let manager = FileManager.default
        try manager.createDirectory(atPath: root + "/db/migrations", withIntermediateDirectories: true)
        try manager.copyItem(atPath: repositoryRoot + "/contracts", toPath: root + "/contracts")
        try manager.copyItem(
            atPath: repositoryRoot + "/migrations/001_object_dimensions.sql",
            toPath: root + "/db/migrations/001_object_dimensions.sql")
        try git("init", "-q", "-b", "main")
        try git("add", ".")
        try git("commit", "-q", "-m", "base")
        // The pull request: a migration that drops a promised column.
        try git("checkout", "-q", "-b", "pr")
        try manager.copyItem(
            atPath: repositoryRoot + "/migrations/002_split_images.sql",
            toPath: root + "/db/migrations/002_split_images.sql")
        try git("add", ".")
        try git("commit", "-q", "-m", "split images")

        let run = try runProcess(
            "/bin/bash",
            [
                "-c",
                "cd \(DashboardEndToEndTests.shellQuote(root)) && " + repositoryRoot
                    + "/examples/ci/contractwatch-pr.sh main",
            ],
            environment: [
                "DSN": dsn, "CONTRACTWATCH": try binaryPath(), "FORMAT": "github",
                "PATH": "/usr/bin:/bin:/usr/local/bin", "HOME": NSHomeDirectory(),
            ])
        #expect(run.status == 1, "the dropped column breaks a contract: \(run.stdout)\n\(run.stderr)")
        #expect(
            run.stdout.contains("::error file=db/migrations/002_split_images.sql,line=13,title=column_missing"),
            "\(run.stdout)")
        #expect(run.stdout.contains("::error file=contracts/object_images_contract_spec.json,line="), "\(run.stdout)")
        let out = root + "/contractwatch-out"
        let formats = ReviewFormatTests()
        for sarif in ["check.sarif", "preview.sarif"] {
            let text = try String(contentsOfFile: out + "/" + sarif, encoding: .utf8)
            #expect(
                try formats.jsonSchemaErrors(text, schema: ReviewFormatTests.review + "/sarif-schema-2.1.0.json") == [])
        }
        let gitlab = try String(contentsOfFile: out + "/check.gitlab.json", encoding: .utf8)
        #expect(
            try formats.jsonSchemaErrors(gitlab, schema: ReviewFormatTests.review + "/gitlab-code-quality.schema.json")
                == [])
        #expect(try formats.xmlSchemaErrors(try String(contentsOfFile: out + "/check.xml", encoding: .utf8)) == [])
        let comment = try String(contentsOfFile: out + "/comment.md", encoding: .utf8)
        #expect(comment.hasPrefix("<!-- contractwatch:check -->\n"))
        #expect(comment.contains("<!-- contractwatch:diff -->") && comment.contains("<!-- contractwatch:preview -->"))
        #expect(comment.contains("Owner: Data Engineering Team"), "\(comment)")
    }
}
