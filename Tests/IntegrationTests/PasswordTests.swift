import Foundation
import Postgres
import Testing

/// Passwords are never shown: not in libpq's messages about DSNs it cannot parse, not in `ps`.
struct PasswordTests {
    @Test(arguments: [
        "postgresql://u:S3cr3t-pw@[::1/db", // libpq quotes the whole URI
        "postgresql://u:S3cr3t%zz-pw@localhost/db", // a bad % escape: libpq quotes the token
        "postgresql://u@localhost/db?password=S3cr3t-pw&sslmode=bogus",
        "host=localhost password='S3cr3t-pw dbname=x", // unterminated quote
        "host=localhost password=S3cr3t-pw port=notaport",
    ])
    func malformedDSNsNeverEchoThePassword(dsn: String) throws {
        for command in [["check"], ["watch"]] {
            let run = try runProcess(
                "/usr/bin/timeout",
                ["20", try binaryPath()] + command + ["--dsn", dsn, "--contracts", repositoryRoot + "/contracts"])
            #expect(!run.stderr.contains("S3cr3t") && !run.stdout.contains("S3cr3t"), "\(command): \(run.stderr)")
            // A DSN that cannot parse stops at once (the dashboard used to retry it forever),
            // except one that parses and fails later (a port that is not a number).
            if !dsn.contains("notaport") && !dsn.contains("bogus") {
                #expect(run.status == 2, "\(command): \(run.stderr)")
                #expect(run.stderr.contains("--dsn:"), "\(command): \(run.stderr)")
            } else {
                #expect(run.status == 2 || run.status == 3, "\(command): \(run.stderr)")
            }
        }
    }

    @Test func secretsAreFoundInEveryShapeOfDSN() {
        #expect(DSNSecrets.passwords(in: "postgresql://u:p%40ss@h/db") == ["p%40ss", "p@ss"])
        #expect(DSNSecrets.passwords(in: "host=h password = 'it\\'s' user=u") == ["it's"])
        #expect(DSNSecrets.passwords(in: "postgres://h/db?password=x1&user=u") == ["x1"])
        #expect(DSNSecrets.passwords(in: "host=h user=u") == [])
        #expect(
            DSNSecrets.redact("failed: \"postgresql://a:zzz@[::1\" and password=yyy", [])
                == "failed: \"postgresql://a:********@[::1\" and password=********")
    }

    @Test func thePasswordIsHiddenFromProcessListings() throws {
        let dsn = try freshDatabase("CREATE TABLE t (a int);")
        let sleep = try ScriptFiles.write("SELECT pg_sleep(3);\n")
        let folder = try ContractDirectory([:])
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try binaryPath())
        process.arguments = ["preview", sleep, "--dsn", dsn + " password=Hunter2-pw", "--contracts", folder.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The arguments are visible from exec on; the scrub follows within the program's first
        // moments: watch until it shows (or the preview ends).
        var seen = ""
        for _ in 0..<100 where !seen.contains("password=*") && process.isRunning {
            usleep(20_000)
            seen =
                (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/cmdline", encoding: .utf8))?
                .replacingOccurrences(of: "\0", with: " ") ?? seen
        }
        process.waitUntilExit()
        #expect(seen.contains("password=*********"), "\(seen)")
        #expect(!seen.contains("Hunter2"), "\(seen)")
    }
}
