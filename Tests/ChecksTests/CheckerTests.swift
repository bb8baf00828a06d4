import Catalog
import Checks
import Contracts
import Testing

/// Builders for in-memory catalogs and contracts.
enum Build {
    static func column(
        _ name: String, _ type: String, position: Int = 1, length: Int? = nil, precision: Int? = nil,
        scale: Int? = nil, nullable: Bool = true, pk: Int? = nil, element: String? = nil
    ) -> CatalogColumn {
        CatalogColumn(
            name: name, position: position, dataType: type, formattedType: element.map { "\($0)[]" } ?? type,
            characterMaximumLength: length, numericPrecision: precision, numericScale: scale,
            isNullable: nullable, arrayElementType: element, primaryKeyPosition: pk)
    }

    static func snapshot(_ relations: [Relation], database: String = "app") -> CatalogSnapshot {
        CatalogSnapshot(database: DatabaseIdentity(name: database, serverVersion: "15.0"), relations: relations)
    }

    static func table(
        _ name: String, schema: String = "public", kind: RelationKind = .table, _ columns: [CatalogColumn]
    ) -> Relation {
        Relation(name: QualifiedName(schema: schema, name: name), kind: kind, columns: columns)
    }

    static func contract(
        _ name: String, table: String, schema: String = "public", catalog: String? = nil, file: String? = nil,
        _ columns: [(String, ColumnExpectation)]
    ) -> Contract {
        Contract(
            name: name, file: file ?? "\(name).json", owner: Owner(name: "Team \(name)", email: "\(name)@example.com"),
            table: ContractTable(catalog: catalog, schema: schema, name: table),
            columns: columns.map { ContractColumn(name: $0.0, expectation: $0.1) })
    }

    static func set(_ contracts: [Contract], errors: [ContractError] = []) -> ContractSet {
        ContractSet(contracts: contracts, errors: errors, fileCount: contracts.count + Set(errors.map(\.file)).count)
    }
}

func lines(_ violations: [Violation]) -> [String] {
    violations.map { "\($0.kind.rawValue) \($0.column ?? "-") \($0.expected)→\($0.actual) \($0.severity.rawValue)" }
}

struct CheckerTests {
    @Test func renameHintPairsEachMissingColumnOnce() {
        let snap = Build.snapshot([
            Build.table(
                "t",
                [
                    Build.column("id", "integer", pk: 1), Build.column("label", "text"), Build.column("title", "text"),
                    Build.column("n", "integer"),
                ])
        ])
        let contract = Build.contract(
            "c", table: "t",
            [
                ("id", ColumnExpectation(dataType: "integer")),
                ("name", ColumnExpectation(dataType: "text")),
            ])
        let result = Checker.check(Build.set([contract]), against: snap)
        #expect(lines(result.violations) == ["column_missing name present→absent error"])
        #expect(result.notices.map(\.column) == ["label", "title", "n"])
        #expect(result.notices[0].detail.hasSuffix("it may be the renamed name"))
        #expect(!result.notices[1].detail.contains("renamed"))
        #expect(!result.notices[2].detail.contains("renamed"))
    }

    @Test func unboundedActualIsNotBreaking() {
        let snap = Build.snapshot([
            Build.table("t", [Build.column("s", "character varying"), Build.column("n", "numeric")])
        ])
        let contract = Build.contract(
            "c", table: "t",
            [
                (
                    "s",
                    ColumnExpectation(
                        dataType: "varchar", modifiers: ModifierExpectation(characterMaximumLength: .limited(40)))
                ),
                (
                    "n",
                    ColumnExpectation(
                        dataType: "decimal",
                        modifiers: ModifierExpectation(numericPrecision: .limited(12), numericScale: .limited(2)))
                ),
            ])
        let result = Checker.check(Build.set([contract]), against: snap)
        // numeric(12,2) → numeric is one change (the limit went away), reported once.
        #expect(
            lines(result.violations) == [
                "character_maximum_length s 40→unlimited warning",
                "numeric_precision n 12→unlimited warning",
            ])
        #expect(result.violations.allSatisfy { !$0.breaking })
    }

    @Test func typeChangeIsReportedOnceWithoutFacetNoise() {
        let snap = Build.snapshot([Build.table("t", [Build.column("a", "integer", precision: 32, scale: 0)])])
        let contract = Build.contract(
            "c", table: "t",
            [
                (
                    "a",
                    ColumnExpectation(
                        dataType: "character varying",
                        modifiers: ModifierExpectation(
                            characterMaximumLength: .limited(10), numericPrecision: .limited(64)), isNullable: true)
                )
            ])
        #expect(
            lines(Checker.check(Build.set([contract]), against: snap).violations) == [
                "data_type a character varying→integer error"
            ])
    }

    @Test func arrayElementTypeIsComparedThroughAliases() {
        let snap = Build.snapshot([Build.table("t", [Build.column("tags", "ARRAY", element: "character varying")])])
        let ok = Build.contract(
            "ok", table: "t", [("tags", ColumnExpectation(dataType: "array", arrayElementType: "varchar"))])
        #expect(Checker.check(Build.set([ok]), against: snap).violations.isEmpty)
        let scalar = Build.snapshot([Build.table("t", [Build.column("tags", "text")])])
        let elementOnly = Build.contract("e", table: "t", [("tags", ColumnExpectation(arrayElementType: "text"))])
        #expect(
            lines(Checker.check(Build.set([elementOnly]), against: scalar).violations) == [
                "array_element_type tags text→null error"
            ])
    }

    @Test func duplicateAndEmptyNotices() {
        let a = Build.contract("same", table: "t", file: "a.json", [])
        let b = Build.contract("same", table: "t", file: "b.json", [])
        let result = Checker.check(Build.set([a, b]), against: Build.snapshot([Build.table("t", [])]))
        #expect(result.notices.map(\.kind) == [.duplicateTableContract, .duplicateContractName])
        let empty = Checker.check(ContractSet(contracts: [], errors: [], fileCount: 0), against: Build.snapshot([]))
        #expect(empty.notices.map(\.kind) == [.emptyContractFolder])
        #expect(empty.isClean)
    }

    @Test func outcomesListInvalidFilesToo() {
        let good = Build.contract("g", table: "t", file: "g.json", [("a", ColumnExpectation())])
        let errors = [
            ContractError(file: "bad.json", location: SourceLocation(line: 1, column: 2), message: "x"),
            ContractError(file: "bad.json", location: SourceLocation(line: 3, column: 2), message: "y"),
        ]
        let result = Checker.check(
            Build.set([good], errors: errors), against: Build.snapshot([Build.table("t", [Build.column("a", "text")])]))
        #expect(result.contracts.map { "\($0.name):\($0.status.rawValue)" } == ["bad:invalid", "g:ok"])
        #expect(!result.isClean)
    }

    @Test func violationIdentityIgnoresValues() {
        let contract = Build.contract(
            "c", table: "t",
            [("a", ColumnExpectation(modifiers: ModifierExpectation(characterMaximumLength: .limited(10))))])
        let first = Checker.check(
            Build.set([contract]),
            against: Build.snapshot([Build.table("t", [Build.column("a", "character varying", length: 5)])]))
        let second = Checker.check(
            Build.set([contract]),
            against: Build.snapshot([Build.table("t", [Build.column("a", "character varying", length: 7)])]))
        #expect(first.violations.map(\.id) == second.violations.map(\.id))
        #expect(first.violations != second.violations)
    }
}

struct InformationSchemaVocabularyTests {
    typealias Facts = InformationSchemaVocabulary.TypeFacts

    @Test func decodesTypmods() {
        let numeric = InformationSchemaVocabulary.derive(
            Facts(typeOid: 1700, typmod: (12 << 16 | 2) + 4, typeLength: -1, typeName: "numeric"))
        #expect(numeric.numericPrecision == 12 && numeric.numericScale == 2 && numeric.dataType == "numeric")
        let varchar = InformationSchemaVocabulary.derive(
            Facts(typeOid: 1043, typmod: 259, typeLength: -1, typeName: "character varying"))
        #expect(varchar.characterMaximumLength == 255 && varchar.numericPrecision == nil)
        let timestamp = InformationSchemaVocabulary.derive(
            Facts(typeOid: 1114, typmod: -1, typeLength: 8, typeName: "timestamp without time zone"))
        #expect(timestamp.datetimePrecision == 6)
        let interval = InformationSchemaVocabulary.derive(
            Facts(typeOid: 1186, typmod: 0x7FFF_0003, typeLength: 16, typeName: "interval"))
        #expect(interval.datetimePrecision == 3)
    }

    @Test func arraysEnumsAndDomains() {
        let array = InformationSchemaVocabulary.derive(
            Facts(typeOid: 1009, typeElement: 25, typeLength: -1, typeName: "text[]", elementTypeName: "text"))
        #expect(array.dataType == "ARRAY" && array.arrayElementType == "text")
        let enumArray = InformationSchemaVocabulary.derive(
            Facts(
                typeOid: 90001, typeElement: 90000, typeLength: -1, typeInCatalog: false, typeName: "mood[]",
                elementTypeName: "mood", elementInCatalog: false))
        #expect(enumArray.dataType == "ARRAY" && enumArray.arrayElementType == "USER-DEFINED")
        let enumType = InformationSchemaVocabulary.derive(Facts(typeOid: 90000, typeInCatalog: false, typeName: "mood"))
        #expect(enumType.dataType == "USER-DEFINED")
        let domain = InformationSchemaVocabulary.derive(
            Facts(
                typeOid: 90002, isDomain: true, baseTypeOid: 1043, domainTypmod: 34, typeLength: -1,
                typeInCatalog: false, typeName: "short_text", baseLength: -1, baseInCatalog: true,
                baseTypeName: "character varying"))
        #expect(domain.dataType == "character varying" && domain.characterMaximumLength == 30)
        // `name` has an element type but a fixed length: not an array.
        let name = InformationSchemaVocabulary.derive(
            Facts(typeOid: 19, typeElement: 18, typeLength: 64, typeName: "name"))
        #expect(name.dataType == "name" && name.arrayElementType == nil)
    }
}
