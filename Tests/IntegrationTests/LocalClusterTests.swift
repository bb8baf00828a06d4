import Foundation
import Postgres
import Testing

/// A process killed outright cannot stop its throwaway server: the next cluster start, in any
/// process, stops servers whose process is gone and removes their folders, and leaves the
/// clusters of running processes alone.
struct LocalClusterTests {
    @Test func aClusterWhoseProcessIsGoneIsStoppedAndRemovedByTheNextSweep() throws {
        let live = try cluster() // the suite's own, owned by this running process (started first: a start sweeps)
        let abandoned = try LocalCluster.start()
        defer { abandoned.stop() }
        _ = try Connection(ConnectionSettings(dsn: abandoned.connectionString())).query("SELECT 1")
        // Hand the folder to a process that has exited: as if this one had been killed.
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run()
        gone.waitUntilExit()
        try Data("\(gone.processIdentifier) 1".utf8).write(
            to: URL(fileURLWithPath: abandoned.directory + "/owner"))

        let removed = LocalCluster.sweepAbandoned()

        #expect(removed.contains(abandoned.directory))
        #expect(!FileManager.default.fileExists(atPath: abandoned.directory))
        #expect(throws: PostgresError.self, "the abandoned server still answers") {
            _ = try Connection(ConnectionSettings(dsn: abandoned.connectionString(), connectTimeoutSeconds: 2))
        }
        #expect(FileManager.default.fileExists(atPath: live.directory))
        #expect(try Connection(ConnectionSettings(dsn: live.connectionString())).query("SELECT 1").int(0, 0) == 1)
    }
}
