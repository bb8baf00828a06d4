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
        var files = Dictionary(uniqueKeysWithValues: (0..<300).map { (String(format: "c%03d.json", $0), Self.contract($0)) })
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

    @Test func aSmallFolderIsOneBatch() throws {
        let folder = try ContractDirectory(Dictionary(uniqueKeysWithValues: (0..<ContractFolderLoad.smallTail).map { ("c\($0).json", Self.contract($0)) }))
        let load = ContractFolderLoad(folder.path)
        let batches = Self.drain(load)
        #expect(batches.count == 1)
        #expect(batches.first?.count == ContractFolderLoad.smallTail)
    }

    @Test func aMissingFolderEndsTheNamesAndThrows() {
        let load = ContractFolderLoad(NSTemporaryDirectory() + "cw-no-such-folder-" + UUID().uuidString)
        #expect(Self.drain(load).isEmpty)
        #expect(throws: ContractFolder.NotAFolder.self) { try load.wait() }
    }
}
