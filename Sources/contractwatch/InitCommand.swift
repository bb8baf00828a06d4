import ArgumentParser
import Authoring
import Catalog
import CatalogReader
import ContractFiles
import Contracts
import Foundation
import Postgres

extension ContractTemplate.Format: ExpressibleByArgument {}

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write contracts for live tables, with their current shape as the baseline.",
        discussion: """
            Reads the tables from the database (read-only) and writes one contract file per table \
            into the contracts folder: column types, lengths, precisions, nullability, keys and \
            comments (as descriptions). `init` then `check` is clean. Existing files are never \
            overwritten without --force.
            """
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var contractOptions: ContractOptions

    @Option(name: .long, help: ArgumentHelp("A table to write a contract for (repeatable).", valueName: "SCHEMA.TABLE"))
    var table: [String] = []

    @Option(name: .long, help: ArgumentHelp("Every table of this schema (repeatable).", valueName: "NAME"))
    var schema: [String] = []

    @Option(name: .long, help: "File format: seed (the book's JSON) or odcs (ODCS v3 YAML).")
    var format: ContractTemplate.Format = .seed

    @Option(
        name: .long,
        help: ArgumentHelp("Owner: an id or email from owners.yaml, or \"Name <email>\".", valueName: "OWNER"))
    var owner: String?

    @Flag(name: .long, help: "Overwrite existing contract files.")
    var force = false

    func validate() throws {
        guard !table.isEmpty || !schema.isEmpty else {
            throw ValidationError("name tables with --table SCHEMA.TABLE (repeatable) or --schema NAME")
        }
    }

    func run() throws {
        var timings = PhaseTimings()
        let folder = contractOptions.contracts
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let registry = (try? ContractFolder.load(folder).registry) ?? .empty
        let resolvedOwner = try resolveOwner(registry)

        let snapshot: CatalogSnapshot
        let server: ContractTemplate.Server
        do {
            let connection = try Connection(connection.settings())
            // Only the relations asked for (and their case variants): not the whole catalog.
            snapshot = try CatalogReader.snapshot(
                connection, names: Set(table.map { Self.parseTable($0).name }), schemas: schema)
            let info = connection.info
            server = ContractTemplate.Server(database: info.database, host: info.host, port: Int(info.port) ?? 5432)
        } catch {
            throw CommandFailure.couldNotCheck(error.description)
        }
        timings.mark("connect and catalog")

        var relations: [Relation] = []
        for name in table {
            let qualified = Self.parseTable(name)
            guard let relation = snapshot.relation(qualified) else {
                let similar = snapshot.relations(namedLike: qualified.name).map(\.name.description)
                throw CommandFailure.usage(
                    "no table \(qualified) in database \(snapshot.database.name)"
                        + (similar.isEmpty ? "" : " (did you mean \(similar.joined(separator: ", "))?)"))
            }
            relations.append(relation)
        }
        var chosen = Set(relations.map(\.name))
        for schema in schema {
            let found = snapshot.relations.filter { $0.name.schema == schema && $0.kind.isTable && !$0.isPartition }
            guard !found.isEmpty else {
                throw CommandFailure.usage("schema \(schema) has no tables in database \(snapshot.database.name)")
            }
            for relation in found where chosen.insert(relation.name).inserted { relations.append(relation) }
        }

        let present = Set((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
        let names = ContractTemplate.fileNames(for: relations.map(\.name), format: format, existing: present)
        let existing = names.map(\.file).filter { present.contains($0) }.map { folder + "/" + $0 }
        if !existing.isEmpty && !force {
            throw CommandFailure.usage("not overwriting \(existing.joined(separator: ", ")) (use --force)")
        }
        timings.mark("choosing the tables")
        // Rendering and writing alternate per file; each is summed for the timings line (writing
        // thousands of files is the file system's work, and costs what it costs on the disk).
        var rendering: UInt64 = 0
        var writing: UInt64 = 0
        for (relation, name) in zip(relations, names) {
            let path = folder + "/" + name.file
            let started = DispatchTime.now().uptimeNanoseconds
            let text = ContractTemplate.render(relation, server: server, owner: resolvedOwner, format: format)
            let rendered = DispatchTime.now().uptimeNanoseconds
            do {
                try ContractFolder.writeFile(path, Array(text.utf8))
            } catch {
                throw CommandFailure.usage(error.description)
            }
            rendering += rendered - started
            writing += DispatchTime.now().uptimeNanoseconds - rendered
            let renamed =
                name.renamedFrom.map { "; \($0) is taken by another table (names differ only in case or dots)" } ?? ""
            Output.write("wrote \(path) (\(relation.name), \(relation.columns.count) columns\(renamed))\n")
        }
        timings.mark([("rendering", rendering), ("writing the files", writing)])
        if resolvedOwner == nil {
            Output.error("contractwatch: note: no --owner given; the contracts name no owner (lint will say so)")
        }
        timings.finish()
    }

    /// `schema.table`, `table` (public), or `"Odd Schema"."Odd.Table"` with quotes.
    static func parseTable(_ text: String) -> QualifiedName {
        var parts: [String] = []
        var current = ""
        var quoted = false
        var iterator = Array(text)[...]
        while let character = iterator.popFirst() {
            if character == "\"" {
                if quoted, iterator.first == "\"" {
                    current.append("\"")
                    iterator.removeFirst()
                } else {
                    quoted.toggle()
                }
            } else if character == ".", !quoted {
                parts.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current)
        return parts.count >= 2
            ? QualifiedName(schema: parts[0], name: parts[1...].joined(separator: "."))
            : QualifiedName(schema: "public", name: parts[0])
    }

    func resolveOwner(_ registry: OwnersRegistry) throws -> Owner? {
        guard let owner else { return nil }
        if let person = registry.resolve(owner) { return Owner(name: person.name ?? person.id, email: person.email) }
        if let open = owner.firstIndex(of: "<"), let close = owner.lastIndex(of: ">"), open < close {
            let name = owner[..<open].trimmingCharacters(in: .whitespaces)
            return Owner(name: name.isEmpty ? nil : name, email: String(owner[owner.index(after: open)..<close]))
        }
        if owner.contains("@") { return Owner(name: nil, email: owner) }
        throw CommandFailure.usage(
            "--owner \"\(owner)\" is not in owners.yaml; give an id or email from it, or \"Name <email>\"")
    }
}
