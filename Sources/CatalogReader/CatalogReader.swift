import Catalog
import Foundation
import Postgres

/// Reads a `CatalogSnapshot` with one pg_catalog query.
///
/// The query returns raw catalog facts (type oids, typmods, domain base types) and
/// `InformationSchemaVocabulary` derives exactly what `information_schema.columns` would say,
/// without the view's joins and privilege checks (about 20× faster at 10k tables).
public enum CatalogReader {
    /// Every relation in every user schema (not `pg_*`, not `information_schema`), tables with
    /// no columns included. Identifiers come back as data; nothing is interpolated.
    public static let snapshotQuery = snapshotQuery(filter: "", detail: .full)

    /// How much a snapshot says about each column.
    public enum Detail: Sendable {
        /// Everything: defaults and comments too (the dashboard, the change feed, `init`).
        case full
        /// What the checks compare; no defaults, no comments. Without those expressions the
        /// planner drops the pg_attrdef and pg_description joins: a fresh session's scoped
        /// snapshot of 200 tables takes ~30 ms instead of ~41 (1,000 tables: ~105 instead of ~146).
        case checks
    }

    /// Relations by exact name in any schema ($1): index probes on pg_class that filter before
    /// any join (an `IN (SELECT unnest(…))` semi-join was planned after joining every column).
    static let exactNames = "AND c.relname = ANY($1::text[])"
    /// Relations whose lower-cased name matches ($1): a scan of pg_class, only needed for the
    /// "differs only in letter case" notice while a contracted table is missing. `lower()` follows
    /// the database's locale (ASCII only under C); the periodic full snapshot finds the rest.
    static let caseVariants = "AND pg_catalog.lower(c.relname) = ANY($1::text[])"

    /// relid 0 unless the expression can name columns (generated columns): with a relid,
    /// pg_get_expr opens the table, and building those relcache entries in a fresh session was
    /// most of a scoped snapshot's time (a DEFAULT cannot reference columns).
    static let defaultExpression = """
        CASE WHEN a.attgenerated = '' THEN pg_get_expr(ad.adbin, 0) ELSE pg_get_expr(ad.adbin, ad.adrelid) END
        """

    /// The snapshot query for relations matching `filter` (an `AND …` on `c`, or "").
    static func snapshotQuery(filter: String, detail: Detail) -> String {
        let full = detail == .full
        let tableComment = full ? "td.description" : "NULL"
        let defaultExpression = full ? Self.defaultExpression : "NULL"
        let columnComment = full ? "d.description" : "NULL"
        return """
            SELECT n.nspname, c.relname, c.relkind, c.relispartition,
                   \(tableComment) AS table_comment,
                   a.attname, a.attnum, a.attnotnull,
                   a.atttypid::int8, a.atttypmod,
                   t.typtype, t.typnotnull, t.typbasetype::int8, t.typtypmod,
                   t.typelem::int8, t.typlen, (tn.nspname = 'pg_catalog') AS type_in_catalog,
                   format_type(a.atttypid, NULL) AS type_name,
                   format_type(a.atttypid, a.atttypmod) AS formatted_type,
                   bt.typelem::int8 AS base_elem, bt.typlen AS base_len,
                   (btn.nspname = 'pg_catalog') AS base_in_catalog,
                   format_type(t.typbasetype, NULL) AS base_type_name,
                   format_type(et.oid, NULL) AS elem_type_name,
                   (etn.nspname = 'pg_catalog') AS elem_in_catalog,
                   CASE WHEN c.relkind IN ('r', 'p') THEN true
                        WHEN c.relkind IN ('v', 'f') THEN pg_catalog.pg_column_is_updatable(c.oid, a.attnum, false)
                        ELSE false END AS updatable,
                   array_position(keys.primary_key, a.attnum) AS pk_position,
                   \(defaultExpression) AS default_expr,
                   \(columnComment) AS column_comment,
                   a.attnum = ANY(keys.unique_columns) AS is_unique,
                   c.oid::int8 AS relation_oid,
                   -- names of types that are not built in (NULL, so nothing sent, for the rest)
                   CASE WHEN tn.nspname <> 'pg_catalog' THEN tn.nspname END AS type_schema,
                   CASE WHEN tn.nspname <> 'pg_catalog' THEN t.typname END AS type_own_name,
                   CASE WHEN btn.nspname <> 'pg_catalog' THEN btn.nspname END AS base_schema,
                   CASE WHEN btn.nspname <> 'pg_catalog' THEN bt.typname END AS base_own_name,
                   CASE WHEN etn.nspname <> 'pg_catalog' THEN etn.nspname END AS elem_schema,
                   CASE WHEN etn.nspname <> 'pg_catalog' THEN et.typname END AS elem_own_name
            FROM pg_catalog.pg_class c
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            -- Keys once per relation through pg_index's indrelid index (OFFSET 0 keeps it a per-row
            -- subquery): joining pg_index instead hashed all of it, a cost that grew with the catalog.
            CROSS JOIN LATERAL (
                SELECT (SELECT pk.indkey::int2[] FROM pg_catalog.pg_index pk
                        WHERE pk.indrelid = c.oid AND pk.indisprimary) AS primary_key_0,
                       -- valid unique indexes on one column (a PK counts), without predicate or
                       -- expression (a failed CREATE UNIQUE INDEX CONCURRENTLY leaves an invalid one)
                       ARRAY(SELECT ui.indkey[0] FROM pg_catalog.pg_index ui
                             WHERE ui.indrelid = c.oid AND ui.indisunique AND ui.indisvalid AND ui.indnkeyatts = 1
                               AND ui.indpred IS NULL AND ui.indexprs IS NULL) AS unique_columns
                OFFSET 0
            ) indexes
            -- int2vector subscripts start at 0: a slice makes the key 1-based, so positions are too
            CROSS JOIN LATERAL (
                SELECT indexes.primary_key_0[array_lower(indexes.primary_key_0, 1):] AS primary_key,
                    indexes.unique_columns
            ) keys
            LEFT JOIN pg_catalog.pg_attribute a
                   ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            LEFT JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
            LEFT JOIN pg_catalog.pg_namespace tn ON tn.oid = t.typnamespace
            LEFT JOIN pg_catalog.pg_type bt ON bt.oid = t.typbasetype
            LEFT JOIN pg_catalog.pg_namespace btn ON btn.oid = bt.typnamespace
            LEFT JOIN pg_catalog.pg_type et
                   ON et.oid = CASE WHEN t.typtype = 'd' THEN bt.typelem ELSE t.typelem END
                  AND et.oid <> 0
            LEFT JOIN pg_catalog.pg_namespace etn ON etn.oid = et.typnamespace
            LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = c.oid AND ad.adnum = a.attnum AND a.atthasdef
            LEFT JOIN pg_catalog.pg_description d
                   ON d.objoid = c.oid AND d.classoid = 'pg_catalog.pg_class'::regclass AND d.objsubid = a.attnum
            -- a join, not obj_description(): that function runs a subquery per row (37% of the time)
            LEFT JOIN pg_catalog.pg_description td
                   ON td.objoid = c.oid AND td.classoid = 'pg_catalog.pg_class'::regclass AND td.objsubid = 0
            WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
              AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
              \(filter)
            """
    }

    /// Rows fetched per round trip when reading the whole catalog.
    static let batchSize = 10_000

    public static func snapshot(_ connection: Connection) throws(PostgresError) -> CatalogSnapshot {
        let info = connection.info
        // Through a cursor, in batches: holding the whole result of a 100k-column catalog in libpq
        // while building the model would double the peak memory. A cursor needs a transaction:
        // join the caller's if there is one (a preview's — never end it), else open our own.
        let ownTransaction = !connection.isInTransaction
        if ownTransaction { try connection.execute(script: "BEGIN READ ONLY") }
        var decoder = Decoder()
        do {
            // Cursors are planned for fast first rows (nested loops); we read every row.
            _ = try connection.query("SET LOCAL cursor_tuple_fraction = 1.0")
            _ = try connection.query("DECLARE contractwatch_catalog NO SCROLL CURSOR FOR " + snapshotQuery)
            while true {
                let batch = try connection.query("FETCH \(batchSize) FROM contractwatch_catalog")
                decoder.add(batch)
                if batch.rowCount < batchSize { break }
            }
            _ = try connection.query("CLOSE contractwatch_catalog")
            if ownTransaction { try connection.execute(script: "COMMIT") }
        } catch {
            if ownTransaction { try? connection.execute(script: "ROLLBACK") }
            throw error
        }
        return CatalogSnapshot(
            database: DatabaseIdentity(name: info.database, serverVersion: info.serverVersion),
            relations: decoder.finish()
        )
    }

    /// The relations `init` writes contracts for: those named in `names` (any schema, with case
    /// variants when one is missing) and every relation of the `schemas`; a fraction of the catalog.
    public static func snapshot(_ connection: Connection, names: Set<String>, schemas: [String]) throws(PostgresError)
        -> CatalogSnapshot
    {
        let named = names.isEmpty ? nil : try snapshot(connection, names: names)
        var relations = named?.relations ?? []
        if !schemas.isEmpty {
            let seen = Set(relations.map(\.oid))
            let inSchemas = decode(
                try connection.query(
                    snapshotQuery(filter: "AND n.nspname = ANY($1::text[])", detail: .full),
                    [arrayLiteral(schemas)]))
            relations += inSchemas.filter { !seen.contains($0.oid) }
        }
        let info = connection.info
        return CatalogSnapshot(
            database: DatabaseIdentity(name: info.database, serverVersion: info.serverVersion), relations: relations)
    }

    /// Only the relations named in `names` (exact names, any schema): what the checks need, at
    /// a cost that follows the number of contracts, not the size of the catalog. When one of
    /// `names` is missing everywhere, relations differing from it only in letter case are added
    /// too, so the checks can say "did you mean".
    public static func snapshot(_ connection: Connection, names: Set<String>, detail: Detail = .full)
        throws(PostgresError) -> CatalogSnapshot
    {
        var batches = [Array(names)]
        return try scopedSnapshot(connection, nameBatches: { batches.popLast() }, detail: detail)
    }

    /// The same snapshot for names that become known while it is read: `nextNames` blocks until
    /// more names are known and returns nil when there are no more. Each batch is one statement,
    /// sent as soon as the previous one is answered; the previous answer is decoded while the
    /// server works on the next. `check` parses its contract files meanwhile, so the server starts
    /// on the first tables instead of waiting for the last file. All batches read one
    /// REPEATABLE READ transaction's catalog (the caller's, if it is in one).
    public static func snapshot(
        _ connection: Connection, nameBatches nextNames: () -> [String]?,
        detail: Detail
    ) throws(PostgresError) -> CatalogSnapshot {
        let ownTransaction = !connection.isInTransaction
        if ownTransaction { try connection.execute(script: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") }
        do {
            let snapshot = try scopedSnapshot(connection, nameBatches: nextNames, detail: detail)
            if ownTransaction { try connection.execute(script: "COMMIT") }
            return snapshot
        } catch {
            if ownTransaction { try? connection.execute(script: "ROLLBACK") }
            throw error
        }
    }

    private static func scopedSnapshot(
        _ connection: Connection, nameBatches nextNames: () -> [String]?,
        detail: Detail
    ) throws(PostgresError) -> CatalogSnapshot {
        let info = connection.info
        let sql = snapshotQuery(filter: exactNames, detail: detail)
        var decoder = Decoder()
        var requested: Set<String> = []
        var answered: QueryResult?
        while let batch = nextNames() {
            let fresh = batch.filter { requested.insert($0).inserted }
            if fresh.isEmpty { continue }
            try connection.send(sql, [arrayLiteral(fresh.sorted())])
            if let answered { decoder.add(answered) }
            answered = try connection.receive()
        }
        if let answered { decoder.add(answered) }
        var relations = decoder.finish()
        let found = Set(relations.map(\.name.name))
        let missing = requested.subtracting(found)
        if !missing.isEmpty {
            let lowered = Set(missing.map { $0.lowercased() }).sorted()
            let variants = decode(
                try connection.query(snapshotQuery(filter: caseVariants, detail: detail), [arrayLiteral(lowered)]))
            relations += variants.filter { !found.contains($0.name.name) }
        }
        return CatalogSnapshot(
            database: DatabaseIdentity(name: info.database, serverVersion: info.serverVersion),
            relations: relations
        )
    }

    /// The SQL and parameter of `snapshot(_:names:detail:)`'s main query, to measure it raw
    /// (`contractwatch-bench` sends it without decoding, as the floor of `check`).
    public static func scopedSnapshotQuery(names: Set<String>, detail: Detail) -> (sql: String, parameter: String) {
        (snapshotQuery(filter: exactNames, detail: detail), arrayLiteral(names.sorted()))
    }

    /// `{"a","b\"c"}`: every element quoted, backslashes and quotes escaped.
    static func arrayLiteral(_ values: [String]) -> String {
        var literal = "{"
        for (index, value) in values.enumerated() {
            if index > 0 { literal += "," }
            literal += "\""
            for character in value.unicodeScalars {
                if character == "\\" || character == "\"" { literal += "\\" }
                literal.unicodeScalars.append(character)
            }
            literal += "\""
        }
        return literal + "}"
    }

    static func decode(_ result: QueryResult) -> [Relation] {
        var decoder = Decoder()
        decoder.add(result)
        return decoder.finish()
    }

    /// Builds relations from snapshot rows, which arrive in no particular order (sorting them in
    /// the server cost a third of a scoped snapshot), possibly in several batches.
    struct Decoder {
        var relations: [Relation] = []
        /// Index in `relations` by pg_class oid.
        var positions: [Int: Int] = [:]
        /// Type names repeat across thousands of columns: keep one copy of each (a large catalog
        /// otherwise holds ~125k separate heap strings for a few dozen distinct values).
        var pool: [String: String] = [:]
        var detailsPool = CatalogColumn.DetailsPool()

        mutating func shared(_ text: String) -> String {
            // Up to 15 UTF-8 bytes a String is stored inline: nothing to share.
            if text.utf8.count <= 15 { return text }
            if let existing = pool[text] { return existing }
            pool[text] = text
            return text
        }

        /// The relations, each with its columns in `attnum` order.
        mutating func finish() -> [Relation] {
            for index in relations.indices {
                let columns = relations[index].columns
                if !zip(columns, columns.dropFirst()).allSatisfy({ $0.position < $1.position }) {
                    relations[index].columns.sort { $0.position < $1.position }
                }
            }
            return relations
        }

        mutating func add(_ result: QueryResult) {
            if relations.isEmpty { // a guess from the first batch (a dozen columns a relation) saves regrowing
                relations.reserveCapacity(result.rowCount / 8)
                positions.reserveCapacity(result.rowCount / 8)
            }
            for row in 0..<result.rowCount {
                let oid = result.int(row, 30) ?? 0
                let position: Int
                if let last = relations.indices.last, relations[last].oid == oid {
                    position = last // rows of one relation mostly come together
                } else if let known = positions[oid] {
                    position = known
                } else {
                    let name = QualifiedName(schema: result.string(row, 0) ?? "", name: result.string(row, 1) ?? "")
                    let kind = RelationKind(rawValue: result.string(row, 2) ?? "r") ?? .table
                    relations.append(
                        Relation(
                            name: name, kind: kind, isPartition: result.bool(row, 3) ?? false,
                            comment: result.string(row, 4), columns: [], oid: oid))
                    position = relations.count - 1
                    positions[oid] = position
                }
                guard let columnName = result.string(row, 5) else { continue }
                let facts = InformationSchemaVocabulary.TypeFacts(
                    typeOid: result.int(row, 8) ?? 0,
                    typmod: result.int(row, 9) ?? -1,
                    isDomain: result.string(row, 10) == "d",
                    domainNotNull: result.bool(row, 11) ?? false,
                    baseTypeOid: result.int(row, 12) ?? 0,
                    domainTypmod: result.int(row, 13) ?? -1,
                    typeElement: result.int(row, 14) ?? 0,
                    typeLength: result.int(row, 15) ?? 0,
                    typeInCatalog: result.bool(row, 16) ?? false,
                    typeName: result.string(row, 17) ?? "",
                    baseElement: result.int(row, 19) ?? 0,
                    baseLength: result.int(row, 20) ?? 0,
                    baseInCatalog: result.bool(row, 21) ?? false,
                    baseTypeName: result.string(row, 22) ?? "",
                    elementTypeName: result.string(row, 23),
                    elementInCatalog: result.bool(row, 24) ?? false
                )
                let derived = InformationSchemaVocabulary.derive(facts)
                // Type names only for types that are not built in (the pool keeps one copy each).
                func userType(_ inCatalog: Bool, _ schema: Int, _ name: Int) -> QualifiedName? {
                    if inCatalog { return nil }
                    return QualifiedName(
                        schema: shared(result.string(row, schema) ?? ""), name: shared(result.string(row, name) ?? ""))
                }
                let domain = facts.isDomain ? userType(false, 31, 32) : nil
                let udt = facts.isDomain ? userType(facts.baseInCatalog, 33, 34) : userType(facts.typeInCatalog, 31, 32)
                let elementUserType = derived.dataType == "ARRAY" ? userType(facts.elementInCatalog, 35, 36) : nil
                var column = CatalogColumn(
                    name: columnName,
                    position: result.int(row, 6) ?? 0,
                    dataType: shared(derived.dataType),
                    formattedType: shared(result.string(row, 18) ?? derived.dataType),
                    characterMaximumLength: derived.characterMaximumLength,
                    numericPrecision: derived.numericPrecision,
                    numericScale: derived.numericScale,
                    datetimePrecision: derived.datetimePrecision,
                    intervalType: derived.intervalType,
                    isNullable: !((result.bool(row, 7) ?? false) || (facts.isDomain && facts.domainNotNull)),
                    isUpdatable: result.bool(row, 25) ?? false,
                    arrayElementType: derived.arrayElementType.map { shared($0) },
                    elementModifiers: derived.elementModifiers,
                    domain: domain, userType: udt, elementUserType: elementUserType,
                    primaryKeyPosition: result.int(row, 26),
                    defaultExpression: result.string(row, 27).map { shared($0) },
                    comment: result.string(row, 28),
                    isUnique: result.bool(row, 29) ?? false
                )
                column.shareDetails(&detailsPool)
                relations[position].columns.append(column)
            }
        }
    }
}
