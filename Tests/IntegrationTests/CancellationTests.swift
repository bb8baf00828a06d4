import Foundation
import Postgres
import Testing
import Watch

/// Quitting the dashboard must not wait for the Migrations screen's schema copy (initdb, pg_dump
/// and psql take ~40 s at 20,000 tables): `Cancellation` terminates the programs it runs.
struct CancellationTests {
    /// A folder of its own per test, for the marker files the children write.
    private func scratchFolder() throws -> String {
        let folder = NSTemporaryDirectory() + "cw-cancel-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func aRunningChildIsTerminatedFromAnotherThread() throws {
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let started = folder + "/started"
        let cancellation = Cancellation()
        // Cancels once the child is seen running (before that there is nothing to terminate yet).
        // A thread of its own: Dispatch's global queue can be held up by other suites' work.
        Thread.detachNewThread {
            for _ in 0..<400 where !FileManager.default.fileExists(atPath: started) {
                Thread.sleep(forTimeInterval: 0.01)
            }
            cancellation.cancel()
        }
        let status = try ChildProcess.run(
            ["/bin/sh", "-c", "touch \(started); exec sleep 60"], environment: ["PATH": "/usr/bin:/bin"],
            stdoutPath: "/dev/null", cancellation: cancellation)
        #expect(status == 128 + SIGTERM, "the child ran to its end instead of being terminated")
        #expect(cancellation.isCancelled)
    }

    @Test func nothingStartsOnceCancelled() throws {
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let cancellation = Cancellation()
        cancellation.cancel()
        #expect(throws: ChildProcess.Failure.self) {
            _ = try ChildProcess.run(
                ["/bin/touch", folder + "/ran"], environment: [:], stdoutPath: "/dev/null", cancellation: cancellation)
        }
        #expect(!FileManager.default.fileExists(atPath: folder + "/ran"))
    }

    /// The schema copy passes its cancellation to every program it runs (initdb is running 0.3 s
    /// in; pg_ctl, pg_dump and psql follow): it says it was cancelled instead of handing out a
    /// copy. That the running program is terminated, not waited for, is the first test's.
    @Test func aSchemaCopyBeingMadeIsCancelled() throws {
        let dsn = try freshDatabase("CREATE TABLE kept (id int PRIMARY KEY)")
        let cancellation = Cancellation()
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: 0.3)
            cancellation.cancel()
        }
        #expect {
            let copy = try ScratchCopy.make(from: ConnectionSettings(dsn: dsn), cancellation: cancellation)
            copy.tearDown()
        } throws: { error in
            (error as? PostgresError)?.kind == .cancelled
        }
    }
}
