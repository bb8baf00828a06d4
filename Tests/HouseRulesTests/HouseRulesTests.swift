import Foundation
import Testing

/// The house rules that a compiler does not check, checked on the repository's own files:
/// line length (from `.swift-format`), comments that point only inside the repository, the
/// module import table of `docs/ARCHITECTURE.md`, and no escape hatches from strict concurrency.
struct HouseRulesTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// Every Swift file of the package (sources, tests, the manifest) with its text.
    static let swiftFiles: [(path: String, text: String)] = {
        var files: [(String, String)] = []
        for top in ["Sources", "Tests"] {
            let enumerator = FileManager.default.enumerator(atPath: root + "/" + top)
            while let relative = enumerator?.nextObject() as? String {
                guard relative.hasSuffix(".swift") else { continue }
                let path = top + "/" + relative
                if let text = try? String(contentsOfFile: root + "/" + path, encoding: .utf8) {
                    files.append((path, text))
                }
            }
        }
        if let manifest = try? String(contentsOfFile: root + "/Package.swift", encoding: .utf8) {
            files.append(("Package.swift", manifest))
        }
        return files.sorted { $0.0 < $1.0 }
    }()

    @Test func linesAreNoLongerThanTheFormatConfigurationSays() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.root + "/.swift-format"))
        let limit = try #require(
            (try JSONSerialization.jsonObject(with: data) as? [String: Any])?["lineLength"] as? Int)
        #expect(limit == 120)
        #expect(Self.swiftFiles.count > 50, "the files were found")
        var long: [String] = []
        for (path, text) in Self.swiftFiles {
            for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where line.count > limit {
                long.append("\(path):\(index + 1): \(line.count) characters")
            }
        }
        #expect(long == [])
    }

    /// Comments name files of this repository only: no URLs, no paths above it, and every
    /// Markdown file they name exists.
    @Test func commentsPointOnlyInsideTheRepository() {
        var outside: [String] = []
        for (path, text) in Self.swiftFiles {
            for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                guard let start = line.range(of: "//") else { continue }
                // A `//` inside a string literal (a URL in a manifest, a YAML sample) is not a comment.
                let before = line[..<start.lowerBound]
                if before.filter({ $0 == "\"" }).count % 2 == 1 { continue }
                let comment = String(line[start.lowerBound...])
                let place = "\(path):\(index + 1)"
                if comment.contains("http://") || comment.contains("https://") { outside.append("\(place): a URL") }
                if comment.contains("../") { outside.append("\(place): a path above the repository") }
                for word in comment.split(whereSeparator: { " ,;:()`\"'".contains($0) }) where word.hasSuffix(".md") {
                    let name = word.hasPrefix("docs/") || !word.contains("/") ? String(word) : ""
                    let candidates = [name, "docs/" + name]
                    if !candidates.contains(where: {
                        !$0.isEmpty && FileManager.default.fileExists(atPath: Self.root + "/" + $0)
                    }) {
                        outside.append("\(place): \(word) is not in the repository")
                    }
                }
            }
        }
        #expect(outside == [])
    }

    /// The table "Modules and what each may import" in docs/ARCHITECTURE.md is the rule: each
    /// module imports only what its row lists (plus the system's Foundation, Dispatch and
    /// Synchronization), and the pure ones use no file, process or terminal API.
    @Test func modulesImportOnlyWhatTheArchitectureMapAllows() throws {
        let map = try String(contentsOfFile: Self.root + "/docs/ARCHITECTURE.md", encoding: .utf8)
        var allowed: [String: Set<String>] = [:]
        var pure: Set<String> = []
        for line in map.split(separator: "\n") where line.hasPrefix("| `") {
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard cells.count >= 5 else { continue }
            let modules = cells[1].split(separator: ",").map {
                $0.trimmingCharacters(in: CharacterSet(charactersIn: " `"))
            }
            let imports =
                cells[3] == "all" || cells[3] == "most"
                ? nil
                : Set(
                    cells[3].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0 != "—" })
            for module in modules {
                if let imports { allowed[module] = imports }
                if cells[4].hasPrefix("none") { pure.insert(module) }
            }
        }
        #expect(
            allowed["Dashboard"] != nil && pure.contains("Checks") && pure.contains("WatchModel"), "the table was read")
        let system: Set<String> = ["Foundation", "Dispatch", "Synchronization", "Glibc"]
        var broken: [String] = []
        for (path, text) in Self.swiftFiles where path.hasPrefix("Sources/") {
            let module = String(path.split(separator: "/")[1])
            guard let rule = allowed[module] else { continue }
            for line in text.split(separator: "\n") where line.hasPrefix("import ") {
                let imported = String(line.dropFirst("import ".count)).trimmingCharacters(in: .whitespaces)
                if !rule.contains(imported) && !system.contains(imported) {
                    broken.append("\(path) imports \(imported)")
                }
            }
            if pure.contains(module) {
                for api in ["FileManager", "FileHandle", "Process(", "fopen(", "opendir(", "getenv("]
                where text.contains(api) {
                    broken.append("\(path) (pure) uses \(api)")
                }
            }
        }
        #expect(broken == [])
    }

    @Test func noEscapeHatchesFromStrictConcurrency() {
        let hatches = Self.swiftFiles.filter { $0.path.hasPrefix("Sources/") }.flatMap { file in
            ["@unchecked Sendable", "@preconcurrency", "nonisolated(unsafe)"].filter { file.text.contains($0) }.map {
                "\(file.path): \($0)"
            }
        }
        #expect(hatches == [])
    }
}
