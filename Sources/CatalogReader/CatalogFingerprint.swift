import Catalog
import Postgres

/// Cheap "did anything change?" probes, so an idle poll skips the snapshot and the checks.
///
/// `writeMarks` (the WAL position and the transaction snapshot) say whether anything was
/// committed at all since the last poll. `fingerprint` is an md5 over the catalog rows a snapshot
/// is built from, so it changes exactly when a snapshot could: relations, columns (name, type and
/// its name, typmod, NOT NULL, default), keys and unique indexes, comments, schemas and domains
/// (max(xmin) or counts alone would miss transactions committing out of xid order, and renames or
/// typmod changes). The polls' probes, `relationFingerprints` and `catalogVersion`, count row
/// versions and sum their `xmin` instead: as exact for those cases, and far cheaper.
public enum CatalogFingerprint {
    public static let query = """
        SELECT pg_catalog.md5(pg_catalog.string_agg(x, '|' ORDER BY x)) FROM (
          SELECT pg_catalog.format('n%s %s', n.oid, n.nspname) AS x
            FROM pg_catalog.pg_namespace n WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
          UNION ALL
          SELECT pg_catalog.format('c%s %s %s %s %s', c.oid, c.relname, c.relnamespace, c.relkind, c.relispartition)
            FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
          UNION ALL
          SELECT pg_catalog.format('a%s %s %s %s %s %s %s', a.attrelid, a.attnum, a.attname, a.atttypid, a.atttypmod,
              a.attnotnull, a.attisdropped)
            FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE a.attnum > 0 AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND n.nspname !~ '^pg_' AND n.nspname <>
                'information_schema'
          UNION ALL
          SELECT pg_catalog.format('i%s %s %s %s %s %s %s', i.indexrelid, i.indrelid, i.indisprimary, i.indisunique,
              i.indisvalid, i.indkey, i.indpred IS NULL)
            FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
          UNION ALL
          SELECT pg_catalog.format('d%s %s %s', d.objoid, d.objsubid, pg_catalog.md5(d.description))
            FROM pg_catalog.pg_description d WHERE d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass
          UNION ALL
          SELECT pg_catalog.format('f%s %s %s', ad.adrelid, ad.adnum, pg_catalog.md5(pg_catalog.pg_get_expr(ad.adbin,
              ad.adrelid)))
            FROM pg_catalog.pg_attrdef ad
          UNION ALL
          SELECT pg_catalog.format('t%s %s %s %s %s', t.oid, t.typname, t.typbasetype, t.typtypmod, t.typnotnull)
            FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
            WHERE t.typtype IN ('d', 'e') AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
        ) AS rows
        """

    public static func fingerprint(_ connection: Connection) throws(PostgresError) -> String {
        try connection.query(query).string(0, 0) ?? ""
    }

    /// The version of only the relations named in `names` (exact names, any schema): per
    /// relation, its `pg_class` row version and, for each catalog a snapshot reads about it
    /// (columns, indexes, constraints, comments, defaults, and the domains and enums its columns
    /// use), the number of row versions and the sum of their `xmin`, the way `catalogVersion`
    /// sums whole catalogs. Every DDL on the relation writes row versions stamped with its own
    /// transaction id, so the value moves; a sum, unlike max(xmin), also moves for a transaction
    /// that commits out of xid order. No text is formatted per column (the md5 of every column's
    /// definition cost 2.7× as much at 2,000 relations): this runs on every poll after any
    /// write to the database. One row per relation, from correlated subqueries on the catalog
    /// indexes, so the cost follows the contracts, not the catalog (a join would make the planner
    /// hash all of pg_attribute).
    public static let scopedQuery = """
        SELECT n.nspname, c.relname, pg_catalog.concat_ws(' ', c.oid, c.xmin,
            (SELECT pg_catalog.count(*) || ':' || pg_catalog.sum(a.xmin::text::bigint) || ':'
                    || pg_catalog.count(t.oid) || ':' || coalesce(pg_catalog.sum(t.xmin::text::bigint), 0)
               FROM pg_catalog.pg_attribute a
               LEFT JOIN pg_catalog.pg_type t ON t.oid = a.atttypid AND t.typtype IN ('d', 'e')
               WHERE a.attrelid = c.oid AND a.attnum > 0),
            (SELECT pg_catalog.count(*) || ':' || pg_catalog.sum(i.xmin::text::bigint)
               FROM pg_catalog.pg_index i WHERE i.indrelid = c.oid),
            (SELECT pg_catalog.count(*) || ':' || pg_catalog.sum(k.xmin::text::bigint)
               FROM pg_catalog.pg_constraint k WHERE k.conrelid = c.oid),
            (SELECT pg_catalog.count(*) || ':' || pg_catalog.sum(d.xmin::text::bigint)
               FROM pg_catalog.pg_description d
               WHERE d.objoid = c.oid AND d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass),
            (SELECT pg_catalog.count(*) || ':' || pg_catalog.sum(ad.xmin::text::bigint)
               FROM pg_catalog.pg_attrdef ad WHERE ad.adrelid = c.oid))
        FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relname = ANY($1::text[])
          AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
        """

    /// One version per relation named in `names`, keyed by schema and name: a poll compares them
    /// with the previous ones and re-reads only the relations that changed, appeared or
    /// disappeared (a version that moved without a visible change costs one relation's read).
    public static func relationFingerprints(_ connection: Connection, names: Set<String>) throws(PostgresError)
        -> [QualifiedName: String]
    {
        let result = try connection.query(scopedQuery, [CatalogReader.arrayLiteral(names.sorted())])
        var fingerprints: [QualifiedName: String] = [:]
        for row in 0..<result.rowCount {
            fingerprints[QualifiedName(schema: result.string(row, 0) ?? "", name: result.string(row, 1) ?? "")] =
                result.string(row, 2) ?? ""
        }
        return fingerprints
    }

    /// The relation fingerprints of `names` folded into one value.
    public static func fingerprint(_ connection: Connection, names: Set<String>) throws(PostgresError) -> String {
        try relationFingerprints(connection, names: names).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            .joined(separator: "|")
    }

    /// The catalogs a snapshot is built from, for `catalogVersion`.
    static let versionedCatalogs = [
        "pg_namespace", "pg_class", "pg_attribute", "pg_attrdef", "pg_index", "pg_constraint", "pg_description",
        "pg_type", "pg_enum", "pg_inherits",
    ]

    /// A catalog-wide "did any DDL happen?" value, far cheaper than `fingerprint`: per catalog, the
    /// number of row versions and the sum of their `xmin`. Every DDL writes new row versions
    /// stamped with its own transaction id (an update writes a new version, a drop removes one),
    /// so the value moves on every change a snapshot could show; unlike max(xmin), a transaction
    /// that commits out of xid order still moves it. No text is built per row. Statistics
    /// (VACUUM, ANALYZE) are written in place and leave it alone; a temporary table in another
    /// session moves it (a harmless extra read).
    public static let versionQuery =
        "SELECT pg_catalog.concat_ws(' ', "
        + versionedCatalogs.map {
            "(SELECT count(*) || ':' || coalesce(sum(xmin::text::bigint), 0) FROM pg_catalog.\($0))"
        }.joined(separator: ", ") + ")"

    public static func catalogVersion(_ connection: Connection) throws(PostgresError) -> String {
        try connection.query(versionQuery).string(0, 0) ?? ""
    }

    /// Rows inserted, updated and deleted so far in each catalog a snapshot is built from, as the
    /// server's cumulative statistics count them: any DDL moves it once its session reports its
    /// statistics (at once, or up to 10 s later: `ReadPlan.statisticsDelay`), data writes do not.
    /// A few function calls, whatever the catalog's size: while only data is written, the full
    /// read's catalog-wide probe can wait (`ReadPlan.skipsCatalogProbe`). NULL when
    /// `track_counts` is off (nothing is counted) and on a standby (its statistics count only its
    /// own sessions, never the DDL it replays).
    public static let activityQuery =
        "SELECT CASE WHEN pg_catalog.current_setting('track_counts')::bool AND NOT pg_catalog.pg_is_in_recovery() "
        + "THEN pg_catalog.concat_ws(' ', "
        + versionedCatalogs.map { catalog in
            ["inserted", "updated", "deleted"].map {
                "pg_catalog.pg_stat_get_tuples_\($0)('pg_catalog.\(catalog)'::pg_catalog.regclass)"
            }.joined(separator: " + ")
        }.joined(separator: ", ") + ") END"

    /// nil without statistics (or when the query fails): the caller probes as it would without.
    public static func catalogActivity(_ connection: Connection) -> String? {
        try? connection.query(activityQuery).string(0, 0)
    }

    /// Where the server's writing stands (`WriteMarks`), in one round trip: on a primary the WAL
    /// insert position and the transaction snapshot; on a standby the last WAL position replayed
    /// (what it shows changes only by replaying WAL) and no snapshot (one rebuilt from replay is
    /// not trusted to say what ended). Asked outside any transaction block, so the snapshot is the
    /// server's current one (inside REPEATABLE READ it would be the block's). Both nil when the
    /// query is not allowed.
    public static func writeMarks(_ connection: Connection) -> WriteMarks {
        guard !connection.isInTransaction,
            let result = try? connection.query(writeMarksQuery(serverVersion: connection.serverVersionNumber))
        else { return WriteMarks(wal: nil, transactions: nil) }
        return WriteMarks(wal: result.string(0, 0), transactions: result.string(0, 1))
    }

    /// `pg_current_snapshot` is PostgreSQL 13's name for `txid_current_snapshot` (kept, deprecated).
    /// CASE evaluates only the branch taken: the primary's functions refuse to run in recovery.
    public static func writeMarksQuery(serverVersion: Int) -> String {
        let snapshot = serverVersion >= 130_000 ? "pg_current_snapshot" : "txid_current_snapshot"
        return """
            SELECT CASE WHEN pg_catalog.pg_is_in_recovery() THEN pg_catalog.pg_last_wal_replay_lsn()
                        ELSE pg_catalog.pg_current_wal_insert_lsn() END::text,
                   CASE WHEN NOT pg_catalog.pg_is_in_recovery() THEN pg_catalog.\(snapshot)()::text END
            """
    }
}
