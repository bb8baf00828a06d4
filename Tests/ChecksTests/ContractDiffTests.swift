import Catalog
import Checks
import Contracts
import Foundation
import Reports
import Testing

/// `contractwatch diff`: every class of change, in both contract formats, classified from the
/// consumers' side.
struct ContractDiffTests {
    func seed(_ table: String, owner: String = "A <a@example.com>", _ columns: String) -> String {
        """
        {"spec-version": "1.0.0", "name": "\(table)",
         "owner": {"name": "\(owner.split(separator: "<")[0].trimmingCharacters(in: .whitespaces))",
                   "email": "\(owner.split(separator: "<").last?.dropLast() ?? "")"},
         "schema": {"table_schema": "public", "table_name": "\(table)", "properties": {\(columns)}}}
        """
    }

    func load(_ files: [String: String]) -> ContractSet {
        ContractLoader.load(files.sorted { $0.key < $1.key }.map { ("contracts/" + $0.key, Array($0.value.utf8)) })
    }

    func changes(_ old: [String: String], _ new: [String: String]) -> [String] {
        ContractDiff.compare(old: load(old), new: load(new)).map {
            "\($0.breaking ? "BREAKING" : "ok") \($0.kind.rawValue) \($0.location)"
        }.sorted()
    }

    @Test func seedJSONChangesAreClassified() {
        let old = seed(
            "orders",
            """
            "id": {"constraints": {"data_type": "integer", "is_nullable": false, "primaryKey": true}},
            "code": {"constraints": {"data_type": "character varying", "character_maximum_length": 10}},
            "note": {"constraints": {"data_type": "text"}},
            "total": {"constraints": {"data_type": "numeric", "numeric_precision": 10, "numeric_scale": 2}},
            "created": {"constraints": {"data_type": "timestamp without time zone", "is_nullable": false}}
            """)
        let new = seed(
            "orders", owner: "B <b@example.com>",
            """
            "id": {"constraints": {"data_type": "bigint", "is_nullable": false}},
            "code": {"constraints": {"data_type": "character varying", "character_maximum_length": 20}},
            "total": {"constraints": {"data_type": "numeric", "numeric_precision": 8, "numeric_scale": 2}},
            "created": {"constraints": {"data_type": "timestamp without time zone"}},
            "region": {"constraints": {"data_type": "text", "is_nullable": false}}
            """)
        #expect(
            changes(["orders.json": old, "gone.json": seed("gone", "\"a\": {}")], ["orders.json": new])
                == [
                    "BREAKING column_removed public.orders.note",
                    "BREAKING contract_removed public.gone",
                    "BREAKING key_dropped public.orders.id",
                    "BREAKING limit_loosened public.orders.code",
                    "BREAKING not_null_dropped public.orders.created",
                    "BREAKING type_changed public.orders.id",
                    "ok column_added public.orders.region",
                    "ok limit_tightened public.orders.total",
                    "ok owner_changed public.orders",
                ])
        // The reverse direction: narrowing, new NOT NULL and keys are not breaking.
        #expect(
            changes(["orders.json": new], ["orders.json": old]).filter { $0.hasPrefix("ok") } == [
                "ok column_added public.orders.note", "ok key_added public.orders.id",
                "ok limit_tightened public.orders.code",
                "ok not_null_added public.orders.created", "ok owner_changed public.orders",
                "ok type_narrowed public.orders.id",
            ])
        #expect(changes(["orders.json": old], ["orders.json": old]).isEmpty, "no change, nothing to say")
    }

    @Test func odcsRenamesAreRenamesWhenTheContractSaysSo() {
        func odcs(_ table: String, _ properties: String) -> String {
            """
            apiVersion: v3.0.2
            kind: DataContract
            id: sales
            name: sales
            version: 1.0.0
            status: active
            schema:
              - name: orders
                physicalName: \(table)
                properties:
            \(properties)
            """
        }
        let old = odcs(
            "orders",
            """
                  - name: customer
                    physicalName: customer_id
                    physicalType: integer
                    required: true
                  - name: email
                    physicalType: varchar(100)
                    unique: true
                  - name: notes
                    physicalType: text
            """)
        let new = odcs(
            "orders_v2",
            """
                  - name: customer
                    physicalName: client_id
                    physicalType: integer
                    required: true
                  - name: email
                    physicalType: text
                  - name: notes
            """)
        #expect(
            changes(["sales.odcs.yaml": old], ["sales.odcs.yaml": new]) == [
                "BREAKING column_renamed public.orders_v2.client_id",
                "BREAKING key_dropped public.orders_v2.email",
                "BREAKING promise_dropped public.orders_v2.notes",
                "BREAKING table_renamed public.orders_v2",
                "BREAKING type_changed public.orders_v2.email",
            ])
    }

    /// The classes the rename test does not show, in ODCS: the same rules as the seed format.
    @Test func odcsChangesAreClassifiedLikeSeedOnes() {
        func odcs(owner: String, _ properties: String) -> String {
            """
            apiVersion: v3.0.2
            kind: DataContract
            id: orders
            name: orders
            version: 1.0.0
            status: active
            team:
              name: \(owner)
            schema:
              - name: orders
                properties:
            \(properties)
            """
        }
        let old = odcs(
            owner: "Sales",
            """
                  - name: id
                    physicalType: bigint
                    primaryKey: true
                  - name: code
                    physicalType: varchar(10)
                  - name: amount
                    physicalType: numeric(10,2)
                    required: true
                  - name: legacy
                    physicalType: text
                  - name: seen
                    physicalType: timestamp(6)
                  - name: memo
            """)
        let new = odcs(
            owner: "Finance",
            """
                  - name: id
                    physicalType: integer
                  - name: code
                    physicalType: varchar
                  - name: amount
                    physicalType: numeric(12,2)
                  - name: seen
                    physicalType: timestamp(3)
                  - name: memo
                    physicalType: text
                  - name: region
                    physicalType: text
                    required: true
            """)
        #expect(
            changes(["orders.odcs.yaml": old], ["orders.odcs.yaml": new]) == [
                "BREAKING column_removed public.orders.legacy",
                "BREAKING key_dropped public.orders.id",
                "BREAKING limit_loosened public.orders.amount",
                "BREAKING limit_loosened public.orders.code",
                "BREAKING not_null_dropped public.orders.amount",
                "ok column_added public.orders.region",
                "ok limit_tightened public.orders.seen",
                "ok owner_changed public.orders",
                "ok promise_added public.orders.memo",
                "ok type_narrowed public.orders.id",
            ])
        #expect(
            changes(["orders.odcs.yaml": old], [:]) == ["BREAKING contract_removed public.orders"]
                && changes([:], ["orders.odcs.yaml": new]) == ["ok contract_added public.orders"])
    }

    @Test func everyFormatSaysWhatBreaksAndWhomToAsk() throws {
        let old = seed("t", "\"a\": {\"constraints\": {\"data_type\": \"integer\"}}, \"b\": {}")
        let new = seed("t", "\"a\": {\"constraints\": {\"data_type\": \"text\"}}")
        let report = DiffReport(
            old: "main", new: "contracts",
            changes: ContractDiff.compare(old: load(["t.json": old]), new: load(["t.json": new])),
            contractErrors: [])
        #expect(report.breaking.count == 2)
        let text = report.render(.text)
        #expect(text.contains("BREAKING type_changed public.t.a (t, contracts/t.json:4)"), "\(text)")
        #expect(text.contains("ask A <a@example.com>"))
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(report.render(.json).utf8)) as? [String: Any])
        #expect((json["summary"] as? [String: Int])?["breaking"] == 2)
        #expect(report.render(.markdown).hasPrefix("<!-- contractwatch:diff -->\n### ❌ contractwatch diff: 2 breaking"))
        #expect(report.render(.github).contains("::error file=contracts/t.json,line=4,title=type_changed public.t.a::"))
        #expect(report.render(.sarif).contains("\"ruleId\": \"column_removed\""))
        #expect(report.render(.gitlab).contains("\"check_name\": \"type_changed\""))
        #expect(report.render(.junit).contains("<failure type=\"breaking_change\" message=\"2 breaking changes\">"))
    }
}
