import ContractFiles
import Contracts
import Foundation
import Testing

struct ContractFolderLoadTests {
    static func contract(_ index: Int) -> String {
        #"{"name": "c\#(index)", "schema": {"table_name": "t\#(index)", "properties": {"id": {}}}}"#
    }

    static func drain(_ load: ContractFolderLoad) -> [[String]] {
        var batches: [[String]] = []
        while let batch = load.nextTableNames() { batches.append(batch) }
        return batches
    }

    @Test func everyParsedTableIsHandedOutOnceThenTheSet() throws {
        var files = Dictionary(
            uniqueKeysWithValues: (0..<300).map { (String(format: "c%03d.json", $0), Self.contract($0)) })
        files["broken.json"] = "{"
        let folder = try ContractDirectory(files)
        let load = ContractFolderLoad(folder.path)
        let batches = Self.drain(load)
        let set = try load.wait()
        #expect(batches.allSatisfy { !$0.isEmpty })
        #expect(batches.flatMap { $0 }.sorted() == set.contracts.map(\.table.name).sorted())
        #expect(set.contracts.count == 300)
        #expect(set.errors.map(\.file) == [folder.path + "/broken.json"])
        #expect(load.nextTableNames() == nil, "stays over")
    }

    /// The scan's names come first, in one batch (JSON and ODCS); a table the scan cannot see (an
    /// escaped name) follows once parsed; no name is handed out twice, even when two files share it.
    @Test func scannedNamesFirstThenWhatOnlyTheParserSees() throws {
        var files = Dictionary(
            uniqueKeysWithValues: (0..<100).map { (String(format: "c%03d.json", $0), Self.contract($0)) })
        files["shared.json"] = #"{"name": "again", "schema": {"table_name": "t5", "properties": {}}}"#
        files["escaped.json"] = #"{"name": "e", "schema": {"table_name": "t_\u00fc", "properties": {}}}"#
        files["odcs.yaml"] = odcsContract(
            id: "y", table: "from_yaml", schemaKeys: ["physicalName: from_yaml"],
            properties: [("id", ["physicalType: integer"])])
        let folder = try ContractDirectory(files)
        let load = ContractFolderLoad(folder.path)
        let batches = Self.drain(load)
        let set = try load.wait()
        #expect(set.errors.isEmpty, "\(set.errors)")
        // The scan reads the JSON files' table_name and the ODCS file's schema list; only the
        // escaped name is left for the parser.
        #expect(Set(batches.first ?? []) == Set((0..<100).map { "t\($0)" } + ["from_yaml"]))
        #expect(Set(batches.dropFirst().flatMap { $0 }) == ["t_ü"])
        let all = batches.flatMap { $0 }
        #expect(all.count == Set(all).count, "no name twice")
        #expect(Set(all) == Set(set.contracts.map(\.table.name)))
    }

    @Test func aSmallFolderIsOneBatch() throws {
        let folder = try ContractDirectory(
            Dictionary(
                uniqueKeysWithValues: (0..<ContractFolderLoad.smallTail).map { ("c\($0).json", Self.contract($0)) }))
        let load = ContractFolderLoad(folder.path)
        let batches = Self.drain(load)
        #expect(batches.count == 1)
        #expect(batches.first?.count == ContractFolderLoad.smallTail)
    }

    /// Files are read with open/read on the parsing threads: a large file is read whole, a
    /// symlink is followed, and a folder or dangling link named like a contract is an error that
    /// names it, beside the good contracts.
    @Test func readsLargeFilesFollowsLinksAndExplainsWhatCannotBeRead() throws {
        // ~200 KB: more than one read of the expected size plus the 64 KB chunks after it.
        let columns = (0..<4000).map { #""column_\#($0)": {"constraints": {"data_type": "text"}}"# }.joined(
            separator: ",\n")
        let large = #"{"name": "large", "schema": {"table_name": "large", "properties": {\#(columns)}}}"#
        let folder = try ContractDirectory(["large.json": large, "small.json": Self.contract(1)])
        try FileManager.default.createDirectory(
            atPath: folder.path + "/folder.json", withIntermediateDirectories: false)
        try FileManager.default.createSymbolicLink(
            atPath: folder.path + "/linked.json", withDestinationPath: folder.path + "/small.json")
        try FileManager.default.createSymbolicLink(
            atPath: folder.path + "/dangling.json", withDestinationPath: folder.path + "/nowhere.json")
        let set = try folder.load()
        #expect(set.contracts.map(\.table.name) == ["large", "t1", "t1"])
        #expect(set.contracts.first?.columns.count == 4000)
        #expect(
            set.errors.map(\.description) == [
                folder.path + "/dangling.json: cannot be read: No such file or directory",
                folder.path + "/folder.json: cannot be read: is a folder, not a file",
            ])
        #expect(set.fileCount == 5)
    }

    @Test func aMissingFolderEndsTheNamesAndThrows() {
        let load = ContractFolderLoad(NSTemporaryDirectory() + "cw-no-such-folder-" + UUID().uuidString)
        #expect(Self.drain(load).isEmpty)
        #expect(throws: ContractFolder.NotAFolder.self) { try load.wait() }
    }
}
