import ArgumentParser
import Checks
import ContractFiles
import Contracts
import Foundation
import Postgres
import Reports

struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Classify the changes between two versions of a contracts folder, from the consumers' side.",
        discussion: """
            A promise removed or loosened is breaking (a contract or column removed, a rename, a \
            type changed or widened, a longer limit, NOT NULL or a key dropped); additions and \
            tightenings are not. With --base REF the old version is the folder as git has it at \
            REF (read with git show, nothing is checked out). Exit codes: 0 no breaking change, 1 \
            breaking changes or an unreadable new contract, 2 usage error.
            """
    )

    @Argument(
        help: ArgumentHelp(
            "The old version's folder; with --base, the folder to compare (default: --contracts).", valueName: "OLD"))
    var old: String?

    @Argument(help: ArgumentHelp("The new version's folder (default: --contracts).", valueName: "NEW"))
    var new: String?

    @Option(
        name: .long,
        help: ArgumentHelp("Compare with the folder at this git revision (a branch, tag or commit).", valueName: "REF"))
    var base: String?

    @Option(name: .long, help: ArgumentHelp("The contracts folder (NEW when not given).", valueName: "DIR"))
    var contracts: String = "./contracts"

    @Option(name: .long, help: CheckReport.Format.help)
    var format: CheckReport.Format = .text

    func run() throws {
        let oldSet: ContractSet
        let newFolder: String
        let oldName: String
        if let base {
            if new != nil { throw CommandFailure.usage("with --base, give at most one folder (the new version)") }
            newFolder = old ?? contracts
            oldSet = try GitContracts.load(folder: newFolder, at: base)
            oldName = "\(newFolder) at \(base)"
        } else {
            guard let old else { throw CommandFailure.usage("give OLD and NEW folders, or --base REF") }
            newFolder = new ?? contracts
            oldSet = try Self.load(old)
            oldName = old
        }
        let newSet = try Self.load(newFolder)
        let report = DiffReport(
            old: oldName, new: newFolder, changes: ContractDiff.compare(old: oldSet, new: newSet),
            contractErrors: newSet.errors)
        Output.write(report.render(format))
        if format == .github { Output.stepSummary { report.render(.markdown) } }
        if !report.breaking.isEmpty || !newSet.errors.isEmpty {
            throw CommandFailure(
                status: ExitStatus.violations,
                message: "\(report.breaking.count) breaking change\(report.breaking.count == 1 ? "" : "s")"
                    + (newSet.errors.isEmpty ? "" : " and \(newSet.errors.count) unreadable contract file(s)"))
        }
    }

    static func load(_ folder: String) throws -> ContractSet {
        do { return try ContractFolder.load(folder) } catch { throw CommandFailure.usage(error.description) }
    }
}

/// A contracts folder as git has it at a revision: `git ls-tree` and `git show REF:path`, run
/// in the folder's repository; nothing is checked out and the work tree is not touched.
enum GitContracts {
    struct GitRun {
        var status: Int32
        var stdout: [UInt8]
        var stderr: String
    }

    static func git(_ arguments: [String], in folder: String) throws -> GitRun {
        let base = NSTemporaryDirectory() + "contractwatch-git-" + UUID().uuidString
        defer {
            try? FileManager.default.removeItem(atPath: base + ".out")
            try? FileManager.default.removeItem(atPath: base + ".err")
        }
        let environment = ProcessInfo.processInfo.environment.filter {
            ["PATH", "HOME", "LANG", "LC_ALL", "GIT_DIR", "GIT_WORK_TREE"].contains($0.key)
        }
        let status: Int32
        do {
            status = try ChildProcess.run(
                ["/usr/bin/env", "git", "-C", folder] + arguments, environment: environment, stdoutPath: base + ".out",
                stderrPath: base + ".err")
        } catch {
            throw CommandFailure.usage("cannot run git: \(error.description)")
        }
        let stdout = (try? [UInt8](Data(contentsOf: URL(fileURLWithPath: base + ".out")))) ?? []
        let stderr = (try? String(contentsOfFile: base + ".err", encoding: .utf8)) ?? ""
        return GitRun(status: status, stdout: stdout, stderr: stderr.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// The folder's path inside its repository (`contracts/`), or a usage error outside one.
    static func prefix(of folder: String) throws -> String {
        let found = try git(["rev-parse", "--show-prefix"], in: folder)
        guard found.status == 0 else {
            throw CommandFailure.usage("\(folder) is not in a git repository (--base needs one): \(found.stderr)")
        }
        return String(decoding: found.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The contracts of `folder` at `ref`, under the same paths as the folder's files now.
    static func load(folder: String, at ref: String) throws -> ContractSet {
        guard !ref.hasPrefix("-") else { throw CommandFailure.usage("--base \(ref): not a revision") }
        let prefix = try prefix(of: folder)
        let listed = try git(["ls-tree", "-z", "--full-tree", "--name-only", "\(ref):\(prefix)"], in: folder)
        guard listed.status == 0 else {
            throw CommandFailure.usage(
                "--base \(ref): git has no \(prefix.isEmpty ? "folder" : prefix) there: \(listed.stderr)")
        }
        let names = listed.stdout.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            .filter(ContractLoader.isContractFile)
        var files: [(path: String, bytes: [UInt8])] = []
        for name in names {
            let blob = try git(["show", "\(ref):\(prefix)\(name)"], in: folder)
            guard blob.status == 0 else { continue }
            guard blob.stdout.count <= ContractFolder.maximumFileSize else { continue }
            files.append((ContractFolder.shownPath(folder, name), blob.stdout))
        }
        return ContractLoader.load(files)
    }

    /// Contract files of `folder` that differ from `ref` (committed, staged, in the work tree, or
    /// new and untracked), as the folder's paths.
    static func changed(folder: String, since ref: String) throws -> Set<String> {
        guard !ref.hasPrefix("-") else { throw CommandFailure.usage("--changed-since \(ref): not a revision") }
        _ = try prefix(of: folder)
        let diff = try git(["diff", "--name-only", "-z", "--relative", ref, "--", "."], in: folder)
        guard diff.status == 0 else { throw CommandFailure.usage("--changed-since \(ref): \(diff.stderr)") }
        let untracked = try git(["ls-files", "-z", "--others", "--exclude-standard", "--", "."], in: folder)
        let names = (diff.stdout + [0] + untracked.stdout).split(separator: 0).map {
            String(decoding: $0, as: UTF8.self)
        }.filter { !$0.contains("/") }
        return Set(names.map { ContractFolder.shownPath(folder, $0) })
    }
}
