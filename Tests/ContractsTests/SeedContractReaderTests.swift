import Contracts
import Foundation
import Synchronization
import Testing

struct SeedContractReaderTests {
    static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("IntegrationTests/Fixtures").path

    func read(_ text: String, file: String = "c.json") -> Result<Contract, ContractErrors> {
        SeedContractReader.read(Array(text.utf8), file: file)
    }

    func errors(_ text: String) -> [String] {
        switch read(text) {
        case .success: return []
        case .failure(let problems): return problems.errors.map(\.description)
        }
    }

    @Test func readsTheBooksContractUnchanged() throws {
        let bytes = try #require(
            FileManager.default.contents(atPath: Self.fixtures + "/object_images_contract_spec.json"))
        let contract = try read(String(decoding: bytes, as: UTF8.self), file: "object_images_contract_spec.json").get()
        #expect(contract.name == "object-images-contract-spec")
        #expect(contract.namespace == "met-museum-data")
        #expect(contract.specVersion == "1.0.0")
        #expect(contract.dataAssetResourceName == "postgresql://postgres:5432/postgres.object_images")
        #expect(contract.owner == Owner(name: "Data Engineering Team", email: "data-eng@museum.org"))
        #expect(contract.table == ContractTable(catalog: "postgres", schema: "public", name: "object_images"))
        #expect(contract.title == "Object Images Table Schema")
        #expect(contract.columns.map(\.name) == ["object_id", "primary_image", "additional_images", "created_at"])
        #expect(
            contract.columns[0].expectation
                == ColumnExpectation(
                    primaryKey: true, dataType: "integer",
                    modifiers: ModifierExpectation(numericPrecision: .limited(32)), isNullable: false, isUpdatable: true
                ))
        #expect(contract.columns[2].expectation.dataType == "ARRAY")
        #expect(contract.columns[2].expectation.arrayElementType == "text")
        #expect(contract.columns[3].expectation.modifiers.datetimePrecision == 6)
        #expect(contract.columns[3].location?.line == 51)
    }

    @Test func readsTheBooksNormalizedContract() throws {
        let bytes = try #require(
            FileManager.default.contents(atPath: Self.fixtures + "/object_images_normalized_contract_spec.json"))
        let contract = try read(String(decoding: bytes, as: UTF8.self)).get()
        #expect(contract.table.name == "object_images_normalized")
        #expect(contract.columns.map(\.name) == ["object_id", "image", "is_primary_image", "created_at"])
        #expect(contract.columns[2].expectation.dataType == "boolean")
    }

    @Test func omittedAndNullConstraintsAreNotChecked() throws {
        let contract = try read(
            """
            {"name": "n", "schema": {"table_name": "t", "properties": {
              "a": {},
              "b": {"constraints": {"data_type": null, "numeric_precision": null}},
              "c": {"constraints": {"is_nullable": "NO", "is_updatable": "YES"}}
            }}}
            """
        ).get()
        #expect(contract.table.schema == "public")
        #expect(contract.columns[0].expectation == ColumnExpectation())
        #expect(contract.columns[1].expectation == ColumnExpectation())
        #expect(contract.columns[2].expectation == ColumnExpectation(isNullable: false, isUpdatable: true))
    }

    @Test func unlimitedIntervalFieldsTypeNamesAndElementModifiers() throws {
        let contract = try read(
            """
            {"name": "c", "schema": {"table_name": "t", "properties": {
              "v": {"constraints": {"data_type": "character varying", "character_maximum_length": "unlimited"}},
              "n": {"constraints": {"data_type": "numeric", "numeric_precision": "UNLIMITED", "numeric_scale": -2}},
              "i": {"constraints": {"data_type": "interval", "interval_type": "DAY TO SECOND(2)"}},
              "j": {"constraints": {"data_type": "interval", "interval_type": "unlimited"}},
              "y": {"constraints": {"data_type": "integer", "domain_name": "year"}},
              "m": {"constraints": {"data_type": "USER-DEFINED", "udt_name": "mood"}},
              "a": {"constraints": {"data_type": "ARRAY"}, "array_element": {"data_type": "character varying",
                  "character_maximum_length": 10}}
            }}}
            """
        ).get()
        let e = contract.columns.map(\.expectation)
        #expect(e[0].modifiers == ModifierExpectation(characterMaximumLength: .unlimited))
        #expect(e[1].modifiers == ModifierExpectation(numericPrecision: .unlimited, numericScale: .limited(-2)))
        #expect(e[2].modifiers == ModifierExpectation(intervalType: .limited("DAY TO SECOND")))
        #expect(e[3].modifiers == ModifierExpectation(intervalType: .unlimited))
        #expect(e[4].domainName == "year")
        #expect(e[5].udtName == "mood")
        #expect(e[6].elementModifiers == ModifierExpectation(characterMaximumLength: .limited(10)))
        #expect(
            errors(
                #"{"name": "c", "schema": {"table_name": "t", "#
                    + #""properties": {"v": {"constraints": {"character_maximum_length": "none", "#
                    + #""interval_type": "fortnight", "numeric_precision": -1}}}}}"#
            ) == [
                "c.json:1:110: \"character_maximum_length\" of \"v\" must be a number or \"unlimited\", found \"none\"",
                "c.json:1:169: \"numeric_precision\" of \"v\" must be a whole number ≥ 0 (32 and 32.0 are both fine)",
                "c.json:1:135: \"interval_type\" of \"v\" must be interval fields such as \"YEAR TO MONTH\" or "
                    + "\"DAY TO SECOND\", or \"unlimited\" (every field)",
            ])
    }

    @Test func unknownKeysAreKeptAndIgnored() throws {
        let contract = try read(
            """
            {"name": "n", "x-team": {"slack": "#data"}, "schema": {"table_name": "t", "custom": 1,
             "properties": {"a": {"tags": ["pii"], "constraints": {"data_type": "text", "x-format": "url"}}}}}
            """
        ).get()
        #expect(contract.columns.first?.expectation.dataType == "text")
    }

    @Test func reportsEveryProblemWithItsLocation() {
        let text = """
            {
              "spec-version": "2.0.0",
              "owner": "data team",
              "schema": {
                "table_name": "t",
                "properties": {
                  "a": {"constraints": {"numeric_precision": "32"}},
                  "b": {"constraints": {"numeric_scale": 2.5, "is_nullable": "maybe"}},
                  "c": {"constraints": {"primaryKey": "yes", "data_type": 5}},
                  "d": "text"
                }
              }
            }
            """
        #expect(
            errors(text) == [
                "c.json:2:19: unsupported spec-version \"2.0.0\"; this version of contractwatch reads spec-version 1.x",
                "c.json:1:1: missing \"name\" in the contract: every contract needs a name, e.g. \"name\": "
                    + "\"orders-contract\"",
                "c.json:3:12: \"owner\" must be an object like {\"name\": \"…\", \"email\": \"…\"}, found a string",
                "c.json:7:50: \"numeric_precision\" of \"a\" must be a number or \"unlimited\", found \"32\"",
                "c.json:8:46: \"numeric_scale\" of \"b\" must be a whole number (negative is fine: numeric(5,-2))",
                "c.json:8:66: \"is_nullable\" of \"b\" must be true/false (or \"YES\"/\"NO\"), found a string",
                "c.json:9:43: \"primaryKey\" of \"c\" must be true or false, found a string",
                "c.json:9:63: \"data_type\" of \"c\" must be a string such as \"integer\" or \"character "
                    + "varying\", found a number",
                "c.json:10:12: column \"d\" must be an object (use {} to only require that it exists), found a string",
            ])
    }

    @Test func missingSchemaPartsAreExplained() {
        #expect(
            errors(#"{"name": "n"}"#) == [
                "c.json:1:1: missing \"schema\": a contract needs \"schema\" with \"table_name\" and \"properties\""
            ])
        #expect(
            errors(#"{"name": "n", "schema": {"properties": {}}}"#) == [
                "c.json:1:25: missing \"table_name\" in \"schema\": name the table the contract describes"
            ])
        #expect(
            errors(#"{"name": "n", "schema": {"table_name": "t"}}"#) == [
                "c.json:1:25: missing \"properties\" in \"schema\": list the table's columns as \"properties\": "
                    + "{\"column\": {…}}"
            ])
        #expect(errors("[1]") == ["c.json:1:1: a contract must be a JSON object, found an array"])
    }

    @Test func loaderKeepsGoodContractsBesideBadOnes() {
        let set = ContractLoader.load([
            ("b.json", Array(#"{"name": "b", "schema": {"table_name": "b", "properties": {}}}"#.utf8)),
            ("a.json", Array("{".utf8)),
        ])
        #expect(set.contracts.map(\.name) == ["b"])
        #expect(set.errors.map(\.file) == ["a.json"])
        #expect(set.fileCount == 2)
    }

    /// The scan for a table name is a hint for the catalog reader: the first plain string value of
    /// "table_name", wherever it is; what it cannot read without parsing is left out.
    @Test func tableNameHintFindsThePlainValueAndSkipsTheRest() {
        func hint(_ text: String) -> String? { SeedContractReader.tableNameHint(Array(text.utf8)) }
        #expect(hint(#"{"schema": {"table_name": "orders", "properties": {}}}"#) == "orders")
        #expect(hint("{\n  \"schema\": {\n    \"table_name\"\t :\r\n \"tbl_ü_97\"\n  }\n}") == "tbl_ü_97")
        #expect(hint(#"{"table_name": "a\"b"}"#) == nil, "an escaped value is left to the parser")
        #expect(hint(#"{"table_name": ""}"#) == nil, "nothing to ask for")
        #expect(hint(#"{"table_name": {"constraints": {}}, "x": "table_name", "table_names": "no"}"#) == nil)
        #expect(
            hint(#"{"properties": {"table_name": {}}, "schema": {"table_name": "t"}}"#) == "t",
            "a column named table_name is an object")
        #expect(
            hint(#"{"properties": {"table_name": "col"}, "schema": {"table_name": "t"}}"#) == "col",
            "the first; the parser corrects it")
        #expect(hint(#"{"table_name": "unterminated"#) == nil)
        #expect(hint(#""table_name""#) == nil)
    }

    @Test func loaderReadsEachFileOnceAndExplainsAnUnreadableOne() {
        let reads = Mutex<[String]>([])
        let files = [
            "b.json": #"{"name": "b", "schema": {"table_name": "b", "properties": {}}}"#,
            "owners.yaml": "people: []", "a.json": #"{"name": "a", "schema": {"table_name": "a", "properties": {}}}"#,
        ]
        let set = ContractLoader.load(
            paths: ["b.json", "gone.json", "owners.yaml", "a.json"],
            read: { path in
                reads.withLock { $0.append(path) }
                return files[path].map { .success(Array($0.utf8)) }
                    ?? .failure(ContractLoader.Unreadable(reason: "Permission denied"))
            })
        #expect(set.contracts.map(\.name) == ["a", "b"], "in file order")
        #expect(set.errors.map(\.description) == ["gone.json: cannot be read: Permission denied"])
        #expect(set.fileCount == 3)
        #expect(reads.withLock { $0 }.sorted() == ["a.json", "b.json", "gone.json", "owners.yaml"])
    }

    @Test func loaderReportsEachFileAsItIsParsed() {
        let reports = Mutex<[(tables: [String], filesLeft: Int)]>([])
        let files =
            (0..<40).map { index in
                (
                    String(format: "c%02d.json", index),
                    Array(#"{"name": "c\#(index)", "schema": {"table_name": "t\#(index)", "properties": {}}}"#.utf8)
                )
            } + [("bad.json", Array("{".utf8)), ("owners.yaml", Array("people: []".utf8))]
        let set = ContractLoader.load(
            files,
            parsed: { contracts, filesLeft in
                reports.withLock { $0.append((contracts.map(\.table.name), filesLeft)) }
            })
        let seen = reports.withLock { $0 }
        // Once per contract file (not the registry); the invalid one with no contracts.
        #expect(seen.count == 41)
        #expect(Set(seen.flatMap(\.tables)) == Set(set.contracts.map(\.table.name)))
        #expect(seen.flatMap(\.tables).count == 40)
        #expect(seen.filter(\.tables.isEmpty).count == 1)
        // Every count from 40 down to 0 exactly once, whatever order the threads report in.
        #expect(seen.map(\.filesLeft).sorted() == Array(0...40))
    }
}

struct DataTypeVocabularyTests {
    @Test(arguments: [
        ("varchar", "character varying"), ("INT", "integer"), ("int8", "bigint"),
        ("Timestamp", "timestamp without time zone"),
        ("timestamptz", "timestamp with time zone"), ("array", "ARRAY"), ("Character  Varying", "character varying"),
        ("bool", "boolean"), ("decimal", "numeric"), ("user-defined", "USER-DEFINED"), ("text", "text"),
    ])
    func aliasesMapToInformationSchemaSpelling(alias: String, canonical: String) {
        #expect(DataTypeVocabulary.canonical(alias) == canonical)
        #expect(DataTypeVocabulary.matches(expected: alias, actual: canonical))
    }

    @Test func differentTypesDoNotMatch() {
        #expect(!DataTypeVocabulary.matches(expected: "integer", actual: "bigint"))
        #expect(!DataTypeVocabulary.matches(expected: "text", actual: "character varying"))
        #expect(DataTypeVocabulary.canonical("strnig") == nil)
    }
}
