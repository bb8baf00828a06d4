/// How far the server's writing had got when a poll looked, so the next poll can tell whether
/// anything a catalog probe could see has happened since.
///
/// `wal` is the WAL insert position: it moves on every write in the cluster, maintenance too
/// (VACUUM, checkpoints, pruning, autovacuum). `transactions` is the server's transaction
/// snapshot (`xmin:xmax:in-progress xids`): it moves only when a transaction that was given a
/// transaction id ends, i.e. one that wrote a row. A catalog change is such a transaction (every
/// DDL inserts, updates or deletes catalog rows, stamped with its id), and the catalog probes see
/// nothing else: they count row versions and sum their `xmin`, which writes made in place without
/// a transaction id (VACUUM's page and row counts in pg_class) leave as they were. So an unchanged
/// snapshot means no probe could answer differently, even though the WAL moved.
public struct WriteMarks: Sendable, Equatable {
    /// The WAL insert position (on a standby: the last position replayed); nil where it could not
    /// be asked.
    public var wal: String?
    /// The transaction snapshot as text; nil on a standby or where it could not be asked.
    public var transactions: String?

    public init(wal: String?, transactions: String?) {
        self.wal = wal
        self.transactions = transactions
    }

    /// Nothing a catalog probe could see has happened between `earlier` and these marks: the WAL
    /// stood still, or no transaction that wrote ended. Why the snapshot is enough: a transaction
    /// that wrote and ended in between either had its id listed as in progress in `earlier` (it is
    /// no longer listed) or got an id at or past `earlier`'s xmax (the first id not yet ended then;
    /// its end raises xmax). A standby gives no snapshot: its replay position alone decides.
    public func nothingCommitted(since earlier: WriteMarks?) -> Bool {
        guard let earlier, let wal, let earlierWAL = earlier.wal else { return false }
        if wal == earlierWAL { return true }
        guard let transactions, let earlierTransactions = earlier.transactions else { return false }
        return transactions == earlierTransactions
    }
}
