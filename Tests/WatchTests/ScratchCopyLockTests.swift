import Testing
import Watch

/// The schema copy needs pg_dump to lock every table: a catalog larger than the server's lock
/// table is refused before a server is started, and pg_dump running out of lock slots on the way
/// gets the same explanation instead of the server's bare "out of shared memory".
struct ScratchCopyLockTests {
    @Test func moreTablesThanLockSlotsIsExplainedBeforeTrying() throws {
        let capacity = ScratchCopy.LockCapacity(tables: 20_800, perTransaction: 64, connections: 100, prepared: 0)
        #expect(capacity.slots == 6_400)
        let problem = try #require(capacity.problem(failedWith: nil))
        #expect(problem.contains("20800 here") && problem.contains("holds 6400 locks"), "\(problem)")
        // 208 per transaction would just fit with no other session: a quarter more for them.
        #expect(problem.contains("max_locks_per_transaction to at least 260"), "\(problem)")
        #expect(problem.contains("--in-place"))
    }

    @Test func aCatalogThatFitsIsTriedAndOnlyALockFailureIsExplained() {
        let capacity = ScratchCopy.LockCapacity(tables: 500, perTransaction: 64, connections: 100, prepared: 2)
        #expect(capacity.problem(failedWith: nil) == nil)
        #expect(capacity.problem(failedWith: "pg_dump: error: connection refused") == nil)
        let problem = capacity.problem(
            failedWith: "ERROR:  out of shared memory | HINT:  You might need to increase max_locks_per_transaction.")
        #expect(problem?.contains("some held by other sessions") == true, "\(problem ?? "")")
    }
}
