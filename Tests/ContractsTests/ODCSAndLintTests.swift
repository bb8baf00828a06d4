import Testing

@testable import Contracts

struct PhysicalTypeTests {
    /// The byte-level tokenizer gives the Character tokenizer's tokens for every ASCII text it
    /// takes, and steps aside for the rest.
    @Test func asciiTokensAreTheCharacterTokens() {
        let texts = [
            "numeric(10, -2)", "timestamp(6) with time zone", "character varying(255)[]", "interval day to second(3)",
            "array<int>", "bit varying(5)", "double precision", "+1", "x$y", "a-b", "int4 [ 3 ]", "decimal(+5,-3)",
            "TIME(3)WITHOUT TIME ZONE", "my_schema.my_type[][]", "\tvarchar\r\n(1)", "1.5.6", "-", "(", "", "  ",
            "a--b", "_x9$", "%", "int4[3 ]", "Map<string,int>",
        ]
        for text in texts {
            var ascii: [PhysicalType.Token] = []
            var characters: [PhysicalType.Token] = []
            var problems: [String] = []
            #expect(PhysicalType.tokenizeASCII(text, into: &ascii), "\(text)")
            PhysicalType.tokenizeCharacters(text, into: &characters, problems: &problems)
            #expect(ascii == characters, "\(text)")
        }
        var untouched: [PhysicalType.Token] = []
        for text in ["\"Quoted\"", "numéric", "int٣", "int\u{85}"] {
            #expect(!PhysicalType.tokenizeASCII(text, into: &untouched), "\(text)")
        }
        #expect(untouched.isEmpty)
    }

    /// `type len=… prec=… scale=… dt=… fields=… [element …] name=…` with `∞` for unlimited.
    static func describe(_ parsed: PhysicalType.Parsed) -> String {
        func modifiers(_ m: ModifierExpectation) -> String {
            func limit(_ l: Limit<Int>) -> String { l.value.map(String.init) ?? "∞" }
            var parts: [String] = []
            if let v = m.characterMaximumLength { parts.append("len=\(limit(v))") }
            if let v = m.numericPrecision { parts.append("prec=\(limit(v))") }
            if let v = m.numericScale { parts.append("scale=\(limit(v))") }
            if let v = m.datetimePrecision { parts.append("dt=\(v)") }
            if let v = m.intervalType { parts.append("fields=\(v.value ?? "∞")") }
            return parts.joined(separator: " ")
        }
        var parts = [parsed.dataType ?? "-"]
        let own = modifiers(parsed.modifiers)
        if !own.isEmpty { parts.append(own) }
        if let name = parsed.typeName { parts.append("name=\(name)") }
        if let element = parsed.arrayElementType {
            parts.append(
                "[\(element)" + (parsed.elementTypeName.map { " name=\($0)" } ?? "")
                    + (modifiers(parsed.elementModifiers).isEmpty ? "" : " " + modifiers(parsed.elementModifiers)) + "]"
            )
        }
        if !parsed.problems.isEmpty { parts.append("problems=\(parsed.problems.count)") }
        return parts.joined(separator: " ")
    }

    @Test(
        arguments: [
            // PostgreSQL's own reading: no modifier on varchar/numeric/varbit means no limit.
            ("varchar", "character varying len=∞"),
            ("varchar(255)", "character varying len=255"),
            ("character varying(40)", "character varying len=40"),
            ("bit varying", "bit varying len=∞"),
            ("varbit(8)", "bit varying len=8"),
            ("char", "character len=1"),
            ("character(10)", "character len=10"),
            ("bit", "bit len=1"),
            ("numeric", "numeric prec=∞ scale=∞"),
            ("numeric(12,2)", "numeric prec=12 scale=2"),
            ("decimal(5)", "numeric prec=5 scale=0"),
            ("numeric(5,-2)", "numeric prec=5 scale=-2"),
            ("timestamp(3) with time zone", "timestamp with time zone dt=3"),
            ("TIMESTAMPTZ(0)", "timestamp with time zone dt=0 name=TIMESTAMPTZ"),
            ("timestamp", "timestamp without time zone dt=6"),
            ("time(2) without time zone", "time without time zone dt=2"),
            ("interval", "interval dt=6 fields=∞"),
            ("interval(3)", "interval dt=3 fields=∞"),
            ("interval year to month", "interval dt=6 fields=YEAR TO MONTH"),
            ("interval day to second(2)", "interval dt=2 fields=DAY TO SECOND"),
            ("float(10)", "real"),
            ("float(40)", "double precision"),
            ("int8", "bigint"),
            ("pg_catalog.int4", "integer"),
            ("\"char\"", "\"char\""),
            // arrays, with their element's modifiers
            ("text[]", "ARRAY [text]"),
            ("varchar(20)[]", "ARRAY [character varying len=20]"),
            ("timestamp(3)[]", "ARRAY [timestamp without time zone dt=3]"),
            ("integer[][]", "ARRAY [integer]"),
            ("int[3]", "ARRAY [integer]"),
            ("integer array", "ARRAY [integer]"),
            ("array<int>", "ARRAY [integer]"),
            ("mood[]", "ARRAY [USER-DEFINED name=mood]"),
            // the official ODCS examples' spellings (JDBC metadata)
            ("varchar[15]", "character varying len=15"),
            ("varchar[2147483647]", "character varying len=∞"),
            ("bpchar", "character"),
            ("serial", "integer"),
            // names of domains, enums and composites stay exact
            ("year", "- name=year"),
            ("Name", "name name=Name"),
            ("\"Name\"", "- name=\"Name\""),
            ("sales.mood", "- name=sales.mood"),
            ("\"Odd Schema\".\"Mood\"", "- name=\"Odd Schema\".\"Mood\""),
            // what PostgreSQL would reject
            ("varchar(abc)", "character varying problems=1"),
            ("numeric(10,2,3)", "numeric problems=1"),
            ("timestamp(9)", "timestamp without time zone dt=9 problems=1"),
            ("integer(10)", "integer problems=1"),
            ("interval fortnight", "interval dt=6 problems=1"),
        ] as [(String, String)])
    func parses(text: String, expected: String) {
        #expect(Self.describe(PhysicalType.parse(text)) == expected, "\(text)")
    }

    @Test func jdbcLengthSpellingCarriesANote() {
        #expect(PhysicalType.parse("varchar[15]").notes.count == 1)
        #expect(PhysicalType.parse("varchar(15)").notes.isEmpty)
        #expect(PhysicalType.parse("mood").isKnown == false)
        #expect(PhysicalType.parse("mood[]").isKnown == false)
        #expect(PhysicalType.parse("text[]").isKnown)
    }
}

struct ODCSReaderTests {
    func read(_ text: String, file: String = "c.odcs.yaml") -> Result<[Contract], ContractErrors> {
        ODCSContractReader.read(text, file: file)
    }

    func errors(_ text: String) -> [String] {
        guard case .failure(let errors) = read(text) else { return [] }
        return errors.errors.map(\.description)
    }

    @Test func defaultsAndShortFormsOfValidODCSAreRead() throws {
        let contracts = try read(
            """
            apiVersion: v3.1.0
            kind: DataContract
            id: c
            status: active
            version: 1.0.0
            x-defaults: &text
              physicalType: varchar(40)
              required: true
            schema:
              - name: exists_only
              - name: t
                properties:
                  - name: a
                    physicalType: integer
                    primaryKey: true
                    primaryKeyPosition: -1
                  - name: b
                    <<: *text
                  - name: c
                    <<: *text
                    physicalType: text
                  - name: d
                    physicalType: text
                    required: false
            """
        ).get()
        #expect(contracts.map(\.title) == ["exists_only", "t"])
        #expect(contracts[0].columns.isEmpty)
        let columns = contracts[1].columns
        // -1 is ODCS's "not positioned"
        #expect(columns[0].expectation == ColumnExpectation(primaryKey: true, dataType: "integer"))
        // merged keys apply; a key written beside the merge wins
        #expect(
            columns[1].expectation
                == ColumnExpectation(
                    dataType: "character varying", modifiers: ModifierExpectation(characterMaximumLength: .limited(40)),
                    isNullable: false))
        #expect(columns[2].expectation == ColumnExpectation(dataType: "text", isNullable: false))
        // required: false is the default: it promises nothing
        #expect(columns[3].expectation == ColumnExpectation(dataType: "text"))
    }

    @Test func otherFormatsAndVersionsAreNamed() throws {
        #expect(
            errors("dataContractSpecification: 1.1.0\nid: x\nmodels:\n  t:\n    fields: {}\n") == [
                "c.odcs.yaml:1:28: this is a Data Contract Specification file (dataContractSpecification: 1.1.0), "
                    + "not ODCS; contractwatch reads ODCS v3 YAML and the book's JSON: convert it with "
                    + "`datacontract export --format odcs`"
            ])
        #expect(
            errors(
                "apiVersion: v3.0.0\nkind: DataContract\nid: x\nschema:\n  - name: t\n    columns:\n      - column: a\n"
            ).first?
            .contains("\"columns\" is ODCS v2; in v3 a table's columns are \"properties\"") == true)
        let contract = try #require(
            try read(
                "apiVersion: v3.0.0\nid: x\nschema:\n  - name: t\n    properties:\n      - name: a\n        "
                    + "isNullable: false\n        isUnique: true\n"
            ).get().first)
        #expect(
            contract.notes.map { "\($0.location?.line ?? 0) \($0.rule.rawValue) \($0.message)" } == [
                "7 other-format-key column a: \"isNullable\" is ODCS v2 and is not read; ODCS v3 says required "
                    + "(its opposite: required: true means NOT NULL)",
                "8 other-format-key column a: \"isUnique\" is ODCS v2 and is not read; ODCS v3 says unique",
            ])
    }

    @Test func yamlErrorsKeepLibyamlsTextAndPlace() {
        #expect(
            errors("apiVersion: v3.1.0\nschema: [\n  - name: t\n") == [
                "c.odcs.yaml:3:3: invalid YAML: did not find expected node content (while parsing a flow node at 3:3)"
            ])
        #expect(
            errors(
                "apiVersion: v3.1.0\nid: x\nschema:\n  - name: t\n    properties:\n      - name: a\n        "
                    + "physicalType: int\n        physicalType: text\n"
            ) == [
                "c.odcs.yaml:8:9: duplicate key \"physicalType\" (first at 7:9); a key may appear once in a mapping"
            ])
        #expect(
            errors(
                "apiVersion: v3.1.0\nid: x\nschema:\n  - name: t\n    properties:\n      - name: a\n        "
                    + "physicalType: varchar(abc)\n      - name: b\n        physicalType: numeric(10,2,3)\n"
            ) == [
                "c.odcs.yaml:7:23: physicalType of \"a\": \"abc\" in varchar(abc) is not a whole number",
                "c.odcs.yaml:9:23: physicalType of \"b\": numeric(10,2,3) takes a precision and an optional scale",
            ])
    }

    @Test func readsTablesColumnsKeysServerTeamSupportAndCustomProperties() throws {
        let contracts = try read(
            """
            apiVersion: v3.2.0
            kind: DataContract
            id: sales
            name: sales
            domain: commerce
            servers:
              - server: dev
                type: snowflake
              - server: prod
                type: postgres
                database: shop
                schema: sales
            team:
              name: Sales Data
              members:
                - username: ana@shop.example
                  name: Ana
                  role: owner
                - username: kim
                  role: IT SME
                - username: lee
                  role: analyst
            support:
              - channel: "#sales-data"
                tool: slack
            customProperties:
              - property: tier
                value: gold
            consumers:
              - name: revenue dashboard
                kind: dashboard
                owner: bi
            schema:
              - name: orders
                physicalName: orders_v2
                properties:
                  - name: id
                    physicalType: bigint
                    primaryKey: true
                    primaryKeyPosition: 2
                    required: true
                  - name: region
                    physicalType: text
                    primaryKeyPosition: 1
                  - name: code
                    physicalType: char(4)
                    unique: true
                  - name: tags
                    logicalType: array
                    items:
                      physicalType: text
              - name: lines
                properties:
                  - name: order_id
                    physicalType: bigint
            """
        ).get()
        #expect(contracts.map(\.name) == ["sales.orders", "sales.lines"])
        #expect(contracts.map(\.file) == ["c.odcs.yaml#orders", "c.odcs.yaml#lines"])
        let orders = contracts[0]
        #expect(orders.format == .odcs)
        #expect(orders.table == ContractTable(catalog: "shop", schema: "sales", name: "orders_v2"))
        #expect(orders.owner == Owner(name: "Sales Data", email: "ana@shop.example"))
        #expect(orders.roles.map { "\($0.role.rawValue) \($0.reference)" } == ["owner ana@shop.example", "it_sme kim"])
        #expect(orders.support == [SupportChannel(channel: "#sales-data", tool: "slack")])
        #expect(orders.customProperties == ["tier": "gold"])
        #expect(orders.consumers.map { [$0.name, $0.kind, $0.owner] } == [["revenue dashboard", "dashboard", "bi"]])
        #expect(orders.consumers.first?.location != nil)
        #expect(
            orders.columns[0].expectation
                == ColumnExpectation(primaryKey: true, dataType: "bigint", isNullable: false, primaryKeyPosition: 2))
        #expect(
            orders.columns[1].expectation
                == ColumnExpectation(primaryKey: true, dataType: "text", primaryKeyPosition: 1))
        #expect(
            orders.columns[2].expectation
                == ColumnExpectation(
                    dataType: "character", modifiers: ModifierExpectation(characterMaximumLength: .limited(4)),
                    unique: true))
        #expect(orders.columns[3].expectation == ColumnExpectation(dataType: "ARRAY", arrayElementType: "text"))
    }

    @Test func v30TeamListNamesTheOwner() throws {
        let contract = try read(
            """
            apiVersion: v3.0.2
            name: t
            team:
              - username: data-eng@museum.org
                name: Data Engineering Team
                role: owner
            schema:
              - name: t
                properties:
                  - name: a
            """
        ).get()[0]
        #expect(contract.owner == Owner(name: "Data Engineering Team", email: "data-eng@museum.org"))
        #expect(contract.table.schema == "public")
    }

    @Test func problemsPointAtTheLine() {
        guard
            case .failure(let errors) = read(
                """
                apiVersion: v4.0.0
                kind: DataContract
                name: t
                schema:
                  - name: t
                    properties:
                      - name: a
                        required: maybe
                      - physicalType: text
                """)
        else {
            Issue.record("expected errors")
            return
        }
        #expect(
            errors.errors.map(\.description) == [
                "c.odcs.yaml:1:13: unsupported apiVersion \"v4.0.0\"; contractwatch reads ODCS v3.0.0 to v3.2.0",
                "c.odcs.yaml:8:19: \"required\" of \"a\" must be true or false, found a string",
                "c.odcs.yaml:9:9: missing \"name\" in the property: name the column",
            ])
        guard case .failure(let syntax) = read("a: [1, 2\nb: 3") else {
            Issue.record("expected a syntax error")
            return
        }
        #expect(syntax.errors.first?.line == 2)
        #expect(syntax.errors.first?.message.hasPrefix("invalid YAML") == true)
    }
}

struct OwnersRegistryTests {
    static let yaml = """
        teams:
          - id: data-eng
            name: Data Engineering Team
            email: data-eng@museum.org
            channel: "#data-eng"
            tool: slack
            escalation: "PagerDuty: data-eng"
        people:
          - id: dana
            name: Dana Reyes
            email: Dana.Reyes@museum.org
            team: data-eng
          - id: dana
            name: Other
          - name: no id
        """

    @Test func resolvesByIdEmailOrNameAndReportsProblems() {
        let (registry, errors) = OwnersRegistry.parse(Self.yaml, file: "owners.yaml")
        #expect(registry.people.map(\.id) == ["data-eng", "dana"])
        #expect(registry.resolve("dana")?.name == "Dana Reyes")
        #expect(registry.resolve("dana.reyes@MUSEUM.org")?.id == "dana")
        #expect(registry.resolve("Data Engineering Team")?.kind == .team)
        #expect(registry.resolve("nobody") == nil)
        #expect(registry.team(of: registry.resolve("dana")!)?.channel == "#data-eng")
        #expect(
            errors.map(\.description) == [
                "owners.yaml:13:9: duplicate id \"dana\" (first at 9:9)",
                "owners.yaml:15:5: missing \"id\" in the person: give every person a short id contracts can refer to",
            ])
    }

    @Test func contractRolesResolveAgainstTheRegistry() {
        let (registry, _) = OwnersRegistry.parse(Self.yaml, file: "owners.yaml")
        let contract = Contract(
            name: "c", file: "c.json", owner: Owner(name: "Data Engineering Team", email: "data-eng@museum.org"),
            table: ContractTable(catalog: nil, schema: "public", name: "t"), columns: [],
            roles: [
                RoleReference(role: .businessOwner, reference: "dana"), RoleReference(role: .itSME, reference: "kim"),
            ])
        let roles = registry.roles(for: contract)
        #expect(roles.map(\.role) == [.owner, .businessOwner, .itSME])
        #expect(roles[0].person?.escalation == "PagerDuty: data-eng")
        #expect(roles[1].person?.email == "Dana.Reyes@museum.org")
        #expect(roles[2].person == nil)
    }
}

struct LintTests {
    func lint(_ files: [String: String]) -> [String] {
        let set = ContractLoader.load(files.map { ($0.key, Array($0.value.utf8)) })
        return ContractLint.lint(set).map(\.description)
    }

    @Test func catchesEachClassOfMistakeWithItsLine() {
        let findings = lint([
            "owners.yaml": "people:\n  - id: dana\n    email: dana@x.org\n",
            "a.json": """
            {"name": "orders", "owner": {"name": "Sales", "email": "sales@x.org"},
             "roles": {"business_owner": "dana", "it_sme": "kim"},
             "schema": {"table_name": "orders", "properties": {"id": {"constraints": {"data_type": "integr"}}}}}
            """,
            "b.json": #"{"name": "orders", "schema": {"table_name": "orders", "properties": {"id": {}}}}"#,
            "c.odcs.yaml":
                "apiVersion: v3.1.0\nname: c\nschema:\n  - name: c\n    properties:\n      - name: id\n        "
                + "physicalType: bigserail\n",
            "d.json": "{\"name\": \"d\",\n \"schema\": {\"table_name\": \"d\", \"properties\": {},}}",
        ])
        #expect(
            findings == [
                "a.json:1:10: duplicate-name: the contract name \"orders\" is also used by b.json:1:10",
                "a.json:2:48: unresolved-reference: it_sme \"kim\": it is not an id, email or name in owners.yaml",
                "a.json:3:27: duplicate-table: public.orders is also described by b.json:1:45",
                "a.json:3:88: unknown-type: \"integr\" (column id) is not an information_schema data_type; did "
                    + "you mean \"integer\"?",
                "b.json:1:1: missing-owner: contract orders names no owner, so nobody is told when it breaks; add "
                    + "\"owner\": {\"name\": \"…\", \"email\": \"…\"}",
                "b.json:1:10: duplicate-name: the contract name \"orders\" is also used by a.json:1:10",
                "b.json:1:45: duplicate-table: public.orders is also described by a.json:3:27",
                "c.odcs.yaml:1:1: missing-owner: contract c names no owner, so nobody is told when it breaks; add "
                    + "team: {name: …, members: [{username: …, role: owner}]}",
                "c.odcs.yaml:7:23: unknown-type: \"bigserail\" (column id) is not a built-in type; did you mean "
                    + "\"bigint\"? (if it is a domain, enum or composite type, ignore this)",
                "d.json:2:49: invalid-file: trailing comma before '}' is not allowed in JSON",
            ])
    }

    @Test func typeNamesAreSuggestedOnlyForNearMissesOfBuiltIns() {
        let properties = ["year", "mood", "Flag", "\\\"Name\\\"", "timestmap", "integr", "varchar[15]"].enumerated()
            .map { "      - name: c\($0.offset)\n        physicalType: \"\($0.element)\"" }.joined(separator: "\n")
        let findings = lint([
            "t.odcs.yaml":
                "apiVersion: v3.1.0\nid: t\nteam: {name: T, members: [{username: t@x.org, role: "
                + "owner}]}\nschema:\n  - name: t\n    properties:\n"
                + properties + "\n"
        ])
        #expect(
            findings == [
                "t.odcs.yaml:16:23: unknown-type: \"timestmap\" (column c4) is not a built-in type; did you mean "
                    + "\"timestamp without time zone\"? (if it is a domain, enum or composite type, ignore this)",
                "t.odcs.yaml:18:23: unknown-type: \"integr\" (column c5) is not a built-in type; did you mean "
                    + "\"integer\"? (if it is a domain, enum or composite type, ignore this)",
                "t.odcs.yaml:20:23: type-spelling: column c6: varchar[15] is read as varchar(15), as generated "
                    + "ODCS files mean it; PostgreSQL reads it as an array: write varchar(15), or varchar[] for "
                    + "an array",
            ])
    }

    @Test func consumerOwnersPointAtTheirLine() {
        let findings = lint([
            "owners.yaml": "people:\n  - id: dana\n    email: dana@x.org\n",
            "a.json":
                "{\"name\": \"a\", \"owner\": {\"name\": \"A\", \"email\": \"a@x.org\"},\n \"consumers\": [\n  "
                + "{\"name\": \"board\", \"owner\": \"nobody\"}],\n \"schema\": {\"table_name\": \"a\", "
                + "\"properties\": {}}}",
        ])
        #expect(
            findings == [
                "a.json:3:3: unresolved-reference: consumer \"board\" names owner \"nobody\", who is not in owners.yaml"
            ])
    }

    @Test func cleanFolderHasNoFindings() {
        #expect(
            lint([
                "a.json":
                    #"{"name": "a", "owner": {"name": "A", "email": "a@x.org"}, "schema": {"table_name": "a", "#
                    + #""properties": {"id": {"constraints": {"data_type": "varchar"}}}}}"#
            ]) == [])
    }
}
