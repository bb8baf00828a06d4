import Foundation
import Testing

@testable import Contracts

/// The fast YAML path must give exactly the tree (values, key order, every line:column) that
/// libyaml gives, or step aside: compared on real files and on the shapes people write.
struct YAMLFastPathTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// Every YAML file of the repository: the official ODCS examples and other tools' fixtures,
    /// the themes, the demo's owners.yaml.
    static var realFiles: [(String, String)] {
        var files: [(String, String)] = []
        for folder in ["Tests/IntegrationTests/Fixtures", "themes", "contracts"] {
            let enumerator = FileManager.default.enumerator(atPath: root + "/" + folder)
            while let name = enumerator?.nextObject() as? String {
                guard name.hasSuffix(".yaml") || name.hasSuffix(".yml") else { continue }
                if let text = try? String(contentsOfFile: root + "/" + folder + "/" + name, encoding: .utf8) {
                    files.append((folder + "/" + name, text))
                }
            }
        }
        return files
    }

    static let shapes: [String] = [
        "a: 1\nb: true\nc: ~\nd: 1.5\ne: text\nf: \"quoted\"\ng: 'it''s'\nh: 0x1F\ni: -3\nj: .inf\nk: null\n",
        "schema:\n- name: t\n  properties:\n  - name: id\n    required: true\n",
        "list:\n  - a\n  - 'b'\n  - {x: 1, y: [1, 2, \"three\"]}\n  - []\n  - {}\n",
        "# comment\n---\nkey: value # trailing\nother: 'has # not a comment'\nurl: http://x.org/a#b\n",
        "nested:\n  deeper:\n    deepest: [a, b]\n  back: 1\nroot: 2\n",
        "quoted keys:\n  \"a b\": 1\n  'c': 2\nunicode: Café 表 ✓\n表: 価格\n",
        "a:\n  - x\n  -\n    b: 1\n",
        "x: O'Brien\ny: it's fine\n",
        "a: 1\r\nb: 2\r\n",
        "w: [yes, No, ON, off, Null, NULL, y, n, true, False, word, _x, é, 1e3, 0o17, 0b101, +1, .5, 2026-12-02, =]\n",
        "version: 1.0.0\nv: [1.0, 1.0.0, 10.2.3, 1..2, .5.5, 1.2.3.4, 0.0.0, 1.0.0-rc1, 1.e2, 1.]\n"
            + "t: 12:30:00\ns: 190:20:30.15\n",
    ]

    /// What the fast path leaves to libyaml (nil), including every error.
    static let declined: [String] = [
        "a: &x 1\nb: *x\n", "a: |\n  text\n", "a: >\n  folded\n", "a: !tag 1\n", "a: b\n  continued\n",
        "a: 1\na: 2\n", "a:\n\tb: 1\n", "a: \"esc\\n\"\n", "<<: {a: 1}\n", "a:\nb: 1\n", "%YAML 1.2\n---\na: 1\n",
        "a: 1\n---\nb: 2\n", "a: [1,\n  2]\n", "a: b: c\n", "? complex\n: key\n", "a: 'open\n  close'\n",
        "", "# only a comment\n", "- a\n- - nested\n", "just a scalar\n", "a: 1\n  b: 2\n",
    ]

    func compare(_ name: String, _ text: String) -> Bool {
        let slow = try? PositionedJSON.parseYAML(text, fastPath: false)
        guard let fast = YAMLFastPath.parse(text) else { return false }
        #expect(fast == slow, "\(name): the fast path disagrees with libyaml")
        return true
    }

    @Test func realFilesReadTheSameAndTakeTheFastPath() {
        let files = Self.realFiles
        #expect(files.count >= 8)
        var fast = 0
        for (name, text) in files where compare(name, text) { fast += 1 }
        // Our themes, owners.yaml and ODCS files are plain block YAML and go the fast way. Two
        // real files use what the fast path leaves to libyaml: the official AdventureWorks
        // example (double-quoted descriptions continued over lines with `\` escapes) and
        // datacontract-cli's fixture (`query: |` block scalars).
        let fellBack = Set(files.filter { YAMLFastPath.parse($0.1) == nil }.map(\.0))
        #expect(
            fellBack == [
                "Tests/IntegrationTests/Fixtures/adventureworks/postgresql-adventureworks-contract.odcs.yaml",
                "Tests/IntegrationTests/Fixtures/datacontract-cli/odcs.yaml",
            ], "\(fellBack)")
        #expect(fast == files.count - 2)
    }

    /// The table of YAML 1.1 words both readers use is what Yams makes of each word, and other
    /// spellings of them (`tRUE`, which Yams' conversion alone would take) are text.
    @Test func theResolvedWordsAreTheResolversWords() throws {
        #expect(YAMLFastPath.Reader.resolvedWords.count == 21)
        func full(_ word: String) throws -> PositionedJSON.Value? {
            guard case .object(let members) = try PositionedJSON.parseYAML("k: \(word)\n", fastPath: false).value
            else { return nil }
            return members.first?.value.value
        }
        let location = SourceLocation(line: 1, column: 1)
        for (word, value) in YAMLFastPath.Reader.resolvedWords {
            // Yams' own conversion of the scalar (the table is not asked).
            #expect(YAMLFastPath.Reader.resolved(word, at: location).value == value, "\(word)")
            #expect(try full(word) == value, "\(word)")
        }
        for word in ["y", "n", "Y", "N", "tRUE", "nULL", "none", "On_", "word", "nil"] {
            #expect(YAMLFastPath.Reader.resolvedWords[word] == nil)
            #expect(try full(word) == .string(word), "\(word)")
        }
    }

    @Test func theShapesPeopleWriteReadTheSame() {
        for (index, text) in Self.shapes.enumerated() {
            #expect(compare("shape \(index)", text), "shape \(index) fell back: \(text)")
        }
    }

    @Test func everythingElseIsLeftToLibyaml() {
        for text in Self.declined {
            #expect(YAMLFastPath.parse(text) == nil, "the fast path took \(text.debugDescription)")
        }
        // And the error a person sees is libyaml's, at libyaml's place.
        #expect(throws: JSONSyntaxError.self) { try PositionedJSON.parseYAML("a: 1\na: 2\n") }
    }
}

/// Differential test: small edits of real files (a character that means something to YAML, a
/// multi-byte character, a tab, a comment, a quote, a deeper or shallower indent) at random
/// places. Whenever the fast path reads an edited file it must read it as libyaml does, and
/// whenever libyaml refuses one the fast path must step aside.
struct YAMLFastPathEditTests {
    /// A small deterministic generator (SplitMix64), so a failure names a reproducible seed.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let insertions = [
        ":", ": ", " #", "#", "-", "- ", "'", "\"", "''", "[", "]", "{", "}", ",", "&a", "*a", "!", "|", ">", "?", "%",
        "\t", " ", "  ", "é", "表", "✓", "😀", "\r", "\\", "1", "0x1F", "~", "yes", "null", ".", "...", "---", "<<: ",
        "\u{85}", "\u{2028}", "\u{FEFF}", "\u{7}", "\u{7F}", "\u{9B}", "\u{A0}", "\u{FFFE}", ":x", "[a:]",
    ]

    @Test func editedRealFilesReadTheSameOrFallBack() {
        let files = YAMLFastPathTests.realFiles.filter { YAMLFastPath.parse($0.1) != nil }
        #expect(files.count >= 6)
        var generator = SplitMix(state: 20_261_203)
        var tookFastPath = 0
        var compared = 0
        for round in 0..<1_500 {
            let (name, text) = files[round % files.count]
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            var editedLines: [Int] = []
            for _ in 0..<Int.random(in: 1...2, using: &generator) {
                let lineIndex = Int.random(in: 0..<lines.count, using: &generator)
                var scalars = Array(lines[lineIndex].unicodeScalars)
                let position = Int.random(in: 0...scalars.count, using: &generator)
                let insertion = Self.insertions.randomElement(using: &generator)!
                if insertion == " " && Bool.random(using: &generator) && !scalars.isEmpty {
                    scalars.remove(at: min(position, scalars.count - 1)) // sometimes take away
                } else {
                    scalars.insert(contentsOf: insertion.unicodeScalars, at: position)
                }
                lines[lineIndex] = String(String.UnicodeScalarView(scalars))
                editedLines.append(lineIndex)
            }
            let edited = lines.joined(separator: "\n")
            let slow = try? PositionedJSON.parseYAML(edited, fastPath: false)
            compared += 1
            guard let fast = YAMLFastPath.parse(edited) else { continue }
            tookFastPath += 1
            if fast != slow {
                let shown = editedLines.map { "\($0 + 1): \(lines[$0].debugDescription)" }.joined(separator: ", ")
                let libyaml = slow == nil ? "libyaml refuses the file" : "libyaml reads it differently"
                Issue.record("round \(round), \(name), edited line \(shown): \(libyaml)")
            }
        }
        // Most edits keep the file in the fast path's reach, so the comparison is not empty.
        #expect(compared == 1_500)
        #expect(tookFastPath > 300, "only \(tookFastPath) edited files took the fast path")
    }
}
