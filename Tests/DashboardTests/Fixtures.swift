import Catalog
import Checks
import Contracts
import Dashboard
import Foundation
import WatchModel

/// A deterministic status: the book's schema after the normalizing migration, three contracts,
/// a broken file, a unicode table; polled at a fixed time.
enum StatusFixture {
    static let pollTime = Date(timeIntervalSince1970: 1_790_000_000)

    static func column(
        _ name: String, _ position: Int, _ type: String, formatted: String? = nil, nullable: Bool = true,
        pk: Int? = nil, precision: Int? = nil, datetime: Int? = nil, element: String? = nil, comment: String? = nil
    ) -> CatalogColumn {
        CatalogColumn(
            name: name, position: position, dataType: type, formattedType: formatted ?? type,
            numericPrecision: precision,
            numericScale: precision == nil ? nil : 0, datetimePrecision: datetime, isNullable: nullable,
            arrayElementType: element, primaryKeyPosition: pk, comment: comment)
    }

    static var snapshot: CatalogSnapshot {
        CatalogSnapshot(
            database: DatabaseIdentity(name: "postgres", serverVersion: "15.18"),
            relations: [
                Relation(
                    name: QualifiedName(schema: "public", name: "object_images"), kind: .table, comment: "images",
                    columns: [
                        column(
                            "object_id", 1, "integer", nullable: false, pk: 1, precision: 32,
                            comment: "Identifying number"),
                        column("created_at", 4, "timestamp without time zone", nullable: false, datetime: 6),
                        column("image", 5, "text", comment: "URL to the image"),
                    ]),
                Relation(
                    name: QualifiedName(schema: "public", name: "object"), kind: .table,
                    columns: [
                        column("object_id", 1, "integer", nullable: false, pk: 1, precision: 32),
                        column("title", 2, "text"),
                    ]),
                Relation(
                    name: QualifiedName(schema: "Ventes", name: "Café 表"), kind: .table,
                    columns: [
                        column("价格", 1, "numeric", formatted: "numeric(8,2)")
                    ]),
                Relation(
                    name: QualifiedName(schema: "public", name: "v_titles"), kind: .view,
                    columns: [column("title", 1, "text")]),
            ])
    }

    static var contracts: ContractSet {
        let owner = Owner(name: "Data Engineering Team", email: "data-eng@museum.org")
        let images = Contract(
            name: "object-images-contract-spec", file: "contracts/object_images_contract_spec.json",
            namespace: "met-museum-data",
            doc: "Image URLs for museum objects.", owner: owner,
            table: ContractTable(catalog: "postgres", schema: "public", name: "object_images"),
            columns: [
                ContractColumn(
                    name: "object_id",
                    expectation: ColumnExpectation(
                        primaryKey: true, dataType: "integer",
                        modifiers: ModifierExpectation(numericPrecision: .limited(32)), isNullable: false)),
                ContractColumn(
                    name: "primary_image",
                    expectation: ColumnExpectation(primaryKey: false, dataType: "text", isNullable: true)),
                ContractColumn(
                    name: "additional_images",
                    expectation: ColumnExpectation(dataType: "ARRAY", arrayElementType: "text")),
                ContractColumn(
                    name: "created_at",
                    expectation: ColumnExpectation(
                        dataType: "timestamp without time zone", modifiers: ModifierExpectation(datetimePrecision: 6),
                        isNullable: false)),
            ])
        let object = Contract(
            name: "object-contract-spec", file: "contracts/object_contract_spec.json",
            owner: Owner(name: "Collections Data Team", email: "collections-data@museum.org"),
            table: ContractTable(catalog: "postgres", schema: "public", name: "object"),
            columns: [
                ContractColumn(name: "object_id", expectation: ColumnExpectation(dataType: "integer")),
                ContractColumn(name: "title", expectation: ColumnExpectation(dataType: "text", isNullable: false)),
            ])
        let cafe = Contract(
            name: "café", file: "contracts/cafe.json",
            owner: Owner(name: "Équipe Ventes 販売", email: "ventes@example.com"),
            table: ContractTable(catalog: nil, schema: "Ventes", name: "Café 表"),
            columns: [ContractColumn(name: "价格", expectation: ColumnExpectation(dataType: "numeric"))])
        let error = ContractError(
            file: "contracts/broken.json", location: SourceLocation(line: 3, column: 7),
            message: "trailing comma before '}' is not allowed in JSON")
        return ContractSet(contracts: [cafe, object, images], errors: [error], fileCount: 4)
    }

    static var status: WatchStatus {
        var status = WatchStatus(target: "configured DSN", interval: 2)
        let snapshot = snapshot
        let contracts = contracts
        let result = Checker.check(contracts, against: snapshot)
        status.generation = 7
        status.connection = ServerInfo(
            database: "postgres", user: "postgres", host: "/tmp/demo/run", port: "5432", serverVersion: "15.18")
        status.state = .connected
        status.contracts = contracts
        status.result = result
        status.snapshot = snapshot
        status.lastPollAt = pollTime
        status.lastPollSeconds = 0.012
        status.pollCount = 12
        let primary = result.violations.first { $0.column == "primary_image" }!.id
        status.newViolations = [primary]
        // It appeared 2 s before the poll, while watching: the history says so.
        status.history.apply(
            result.violations.filter { $0.id == primary }, at: pollTime.addingTimeInterval(-2), appeared: [primary],
            causes: [:])
        return status
    }

    /// Renders `model` at a size; `now` is 1 s after the poll so ages are stable.
    static func render(_ model: inout DashboardModel, width: Int, height: Int) -> Frame {
        var frame = Frame(width: width, height: height)
        Renderer.draw(&model, on: &frame, now: pollTime.addingTimeInterval(1))
        return frame
    }
}
