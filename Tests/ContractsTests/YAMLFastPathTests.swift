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
