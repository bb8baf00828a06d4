import Catalog
import Postgres
import Testing

/// The snapshot derives `information_schema.columns` from pg_catalog; this proves it says
/// exactly what information_schema says, type by type.
struct InformationSchemaParityTests {
    static let schema = #"""
        CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
        CREATE TYPE pair AS (a int, b text);
        CREATE DOMAIN short_text AS varchar(30) NOT NULL;
        CREATE DOMAIN int_list AS integer[];
        CREATE DOMAIN money_amount AS numeric(14,4);
        CREATE SCHEMA "Odd Schema";
        CREATE TABLE "Odd Schema"."Every Type" (
            id serial PRIMARY KEY, ident bigint GENERATED ALWAYS AS IDENTITY,
            s smallint, i integer NOT NULL, b bigint, r real, d double precision,
            n numeric, n12 numeric(12,2), n5 numeric(5), neg numeric(5,-2),
            vc varchar, vc40 varchar(40), c char, c10 char(10), t text,
            bt bit(5), vb bit varying(10), vbn varbit,
            ts timestamp, ts3 timestamp(3), tz timestamptz, tz0 timestamptz(0),
            tm time, tm2 time(2), ttz timetz, dt date, iv interval, iv3 interval(3), ivd interval day to second(2),
            ivy interval year, ivym interval year to month, ivh interval hour to minute, ivs interval second(3),
            bo boolean, js json, jb jsonb, u uuid, m money, by bytea, ip inet, x xml,
            ta text[], ia integer[][], va varchar(20)[], tsa timestamp(2)[], ea mood[],
            e mood, p pair, st short_text, il int_list, ma money_amount,
            gen integer GENERATED ALWAYS AS (i * 2) STORED, "Ünï ""q""" text,
            df text DEFAULT 'a''b', dn timestamptz DEFAULT now(), dx numeric DEFAULT (1.5 * 2), de mood DEFAULT 'ok'
        );
        CREATE TABLE parted (k int, v text, PRIMARY KEY (k)) PARTITION BY RANGE (k);
        CREATE TABLE parted_1 PARTITION OF parted FOR VALUES FROM (0) TO (100);
        CREATE VIEW simple_view AS SELECT k, v FROM parted;
        CREATE VIEW computed_view AS SELECT k, upper(v) AS uv FROM parted;
        """#

    @Test func snapshotMatchesInformationSchemaColumns() throws {
        let dsn = try freshDatabase(Self.schema)
        let snap = try snapshot(dsn)
        let connection = try Connection(ConnectionSettings(dsn: dsn))
        let expected = try connection.query(
            """
            SELECT c.table_schema, c.table_name, c.column_name, c.data_type, c.character_maximum_length,
                   c.numeric_precision, c.numeric_scale, c.datetime_precision, c.is_nullable, c.is_updatable,
                   coalesce(e.data_type, de.data_type) AS element_type,
                   coalesce(c.column_default, c.generation_expression) AS default_or_generated,
                   c.interval_type, c.domain_schema, c.domain_name, c.udt_schema, c.udt_name
            FROM information_schema.columns c
            LEFT JOIN information_schema.element_types e
              ON (c.table_catalog, c.table_schema, c.table_name, 'TABLE', c.dtd_identifier)
               = (e.object_catalog, e.object_schema, e.object_name, e.object_type, e.collection_type_identifier)
            -- a column typed by a domain over an array: information_schema files the element under the DOMAIN
            LEFT JOIN information_schema.domains dm
              ON (dm.domain_schema, dm.domain_name) = (c.domain_schema, c.domain_name)
            LEFT JOIN information_schema.element_types de
              ON (dm.domain_schema, dm.domain_name, 'DOMAIN', dm.dtd_identifier)
               = (de.object_schema, de.object_name, de.object_type, de.collection_type_identifier)
            WHERE c.table_schema NOT IN ('pg_catalog', 'information_schema')
            ORDER BY 1, 2, c.ordinal_position
            """)
        #expect(expected.rowCount >= 58) // every column of the schema above
        var compared = 0
        for row in 0..<expected.rowCount {
            let table = QualifiedName(schema: expected.string(row, 0)!, name: expected.string(row, 1)!)
            let name = expected.string(row, 2)!
            guard let column = snap.relation(table)?.column(named: name) else {
                Issue.record("\(table).\(name) is in information_schema but not in the snapshot")
                continue
            }
            let label = "\(table).\(name)"
            #expect(column.dataType == expected.string(row, 3), "\(label) data_type")
            #expect(column.characterMaximumLength == expected.int(row, 4), "\(label) character_maximum_length")
            #expect(column.numericPrecision == expected.int(row, 5), "\(label) numeric_precision")
            // information_schema shows a negative scale's raw 11 bits (numeric(5,-2): 2046).
            let scale = expected.int(row, 6).map { $0 > 1000 ? $0 - 2048 : $0 }
            #expect(column.numericScale == scale, "\(label) numeric_scale")
            #expect(column.datetimePrecision == expected.int(row, 7), "\(label) datetime_precision")
            #expect(column.isNullable == (expected.string(row, 8) == "YES"), "\(label) is_nullable")
            #expect(column.isUpdatable == (expected.string(row, 9) == "YES"), "\(label) is_updatable")
            if column.dataType == "ARRAY" {
                #expect(column.arrayElementType == expected.string(row, 10), "\(label) element type")
            }
            #expect(column.defaultExpression == expected.string(row, 11), "\(label) default")
            // information_schema writes the precision into the last field (`DAY TO SECOND(2)`);
            // the snapshot keeps it in datetime_precision only.
            #expect(
                column.intervalType == expected.string(row, 12).map { String($0.prefix { $0 != "(" }) },
                "\(label) interval_type")
            #expect(
                column.domain?.schema == expected.string(row, 13) && column.domain?.name == expected.string(row, 14),
                "\(label) domain")
            // udt_schema/udt_name only for types that are not built in (nil for pg_catalog's).
            let udt =
                expected.string(row, 15) == "pg_catalog"
                ? nil : expected.string(row, 15).map { QualifiedName(schema: $0, name: expected.string(row, 16) ?? "") }
            #expect(column.userType == udt, "\(label) udt")
            compared += 1
        }
        #expect(compared == expected.rowCount)
        // serial, the four DEFAULTs, the generated column
        #expect(snap.relations.flatMap(\.columns).filter { $0.defaultExpression != nil }.count == 6)
    }

    @Test func snapshotCarriesKeysKindsCommentsAndFormattedTypes() throws {
        let dsn = try freshDatabase(
            Self.schema + """
                CREATE TABLE composite (a int, b text, c int, PRIMARY KEY (c, a));
                COMMENT ON TABLE composite IS 'two-part key';
                COMMENT ON COLUMN composite.b IS 'the payload';
                CREATE MATERIALIZED VIEW mv AS SELECT 1 AS one;
                """)
        let snap = try snapshot(dsn)
        // Rows come back unordered; every relation's columns are still in attnum order.
        #expect(snap.relations.count == 7) // Every Type, parted, parted_1, two views, composite, mv
        for relation in snap.relations {
            #expect(relation.columns.map(\.position) == relation.columns.map(\.position).sorted(), "\(relation.name)")
        }
        let everyType = try #require(snap.relation(QualifiedName(schema: "Odd Schema", name: "Every Type")))
        #expect(everyType.columns.prefix(3).map(\.name) == ["id", "ident", "s"])
        let composite = try #require(snap.relation(QualifiedName(schema: "public", name: "composite")))
        #expect(composite.primaryKey.map(\.name) == ["c", "a"])
        #expect(composite.primaryKey.map(\.primaryKeyPosition) == [1, 2])
        #expect(composite.column(named: "b")?.primaryKeyPosition == nil)
        #expect(composite.comment == "two-part key")
        #expect(composite.column(named: "b")?.comment == "the payload")
        #expect(snap.relation(QualifiedName(schema: "public", name: "mv"))?.kind == .materializedView)
        #expect(snap.relation(QualifiedName(schema: "public", name: "parted"))?.kind == .partitionedTable)
        #expect(snap.relation(QualifiedName(schema: "public", name: "parted_1"))?.isPartition == true)
        #expect(snap.relation(QualifiedName(schema: "public", name: "simple_view"))?.kind == .view)
        let every = try #require(snap.relation(QualifiedName(schema: "Odd Schema", name: "Every Type")))
        #expect(every.column(named: "vc40")?.formattedType == "character varying(40)")
        #expect(every.column(named: "n12")?.formattedType == "numeric(12,2)")
        #expect(every.column(named: "ta")?.formattedType == "text[]")
        #expect(every.column(named: "id")?.defaultExpression?.contains("nextval") == true)
        #expect(every.column(named: "Ünï \"q\"") != nil)
    }
}
