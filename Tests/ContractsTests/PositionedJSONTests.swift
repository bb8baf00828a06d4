import Contracts
import Testing

struct PositionedJSONTests {
    func parse(_ text: String) throws(JSONSyntaxError) -> PositionedJSON {
        try PositionedJSONParser.parse(Array(text.utf8))
    }

    func error(_ text: String) -> JSONSyntaxError? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func recordsLocationsOfKeysAndValues() throws {
        let doc = try parse("{\n  \"a\": {\n    \"b\": [1, 2.50, true, null, \"x\"]\n  }\n}")
        let a = try #require(doc.members?.first)
        #expect(a.keyLocation == SourceLocation(line: 2, column: 3))
        #expect(a.value.location == SourceLocation(line: 2, column: 8))
        let b = try #require(a.value["b"])
        #expect(b.location == SourceLocation(line: 3, column: 10))
        guard case .array(let items) = b.value else {
            Issue.record("not an array")
            return
        }
        #expect(items.map(\.kindName) == ["a number", "a number", "a boolean", "null", "a string"])
        #expect(items[1].integerValue == nil)
        #expect(items[0].integerValue == 1)
    }

    @Test func wholeFloatsAreIntegers() throws {
        #expect(try parse("32.0").integerValue == 32)
        #expect(try parse("6e0").integerValue == 6)
        #expect(try parse("32.5").integerValue == nil)
        #expect(try parse("0").integerValue == 0)
        #expect(try parse("-7").integerValue == -7)
        #expect(try parse("999999999999999").integerValue == 999_999_999_999_999)
        #expect(try parse("1000000000000000").integerValue == nil, "1e15 and above are not counts")
        #expect(try parse("\"32\"").integerValue == nil, "a string is not a number")
    }

    @Test func columnsCountCharactersNotBytes() throws {
        let doc = try parse("{\"é表\": 1, \"b\": 2}")
        #expect(doc.members?[1].keyLocation == SourceLocation(line: 1, column: 11))
    }

    @Test func locationsOnOneLongLineAndAfterIt() throws {
        let doc = try parse("{\"表\": {\"é\": [1, \"ü\"]}, \"b\": 2,\n \"c\": {\"d\": 3}}")
        #expect(
            doc.members?.map(\.keyLocation) == [
                SourceLocation(line: 1, column: 2), SourceLocation(line: 1, column: 24),
                SourceLocation(line: 2, column: 2),
            ])
        guard case .array(let items)? = doc["表"]?["é"]?.value else {
            Issue.record("no array")
            return
        }
        #expect(items.map(\.location) == [SourceLocation(line: 1, column: 14), SourceLocation(line: 1, column: 17)])
        #expect(doc["c"]?["d"]?.location == SourceLocation(line: 2, column: 13))
    }

    @Test func skipsAByteOrderMarkAndCountsColumnsAfterIt() throws {
        let doc = try PositionedJSONParser.parse([0xEF, 0xBB, 0xBF] + Array("{\"a\": 1}".utf8))
        #expect(doc.location == SourceLocation(line: 1, column: 1))
        #expect(doc.members?.first?.keyLocation == SourceLocation(line: 1, column: 2))
        // A mark anywhere else is not skipped: it is not JSON.
        #expect(error(" \u{FEFF}{}")?.location == SourceLocation(line: 1, column: 2))
    }

    /// Nested objects and arrays are built on shared stacks: each keeps exactly its own members
    /// and items, also after an inner one ended (or was empty) in the middle of an outer one.
    @Test func nestedObjectsAndArraysKeepTheirOwnMembers() throws {
        let doc = try parse(#"{"a": {"b": {}, "c": [1, [], {"d": [2, 3]}, 4], "e": 5}, "f": [6], "g": {"h": 7}}"#)
        #expect(doc.members?.map(\.key) == ["a", "f", "g"])
        #expect(doc["a"]?.members?.map(\.key) == ["b", "c", "e"])
        #expect(doc["a"]?["b"]?.members?.isEmpty == true)
        guard case .array(let items)? = doc["a"]?["c"]?.value else {
            Issue.record("no array")
            return
        }
        #expect(items.map(\.kindName) == ["a number", "an array", "an object", "a number"])
        guard case .array(let inner)? = items[2]["d"]?.value else {
            Issue.record("no inner array")
            return
        }
        #expect(inner.map(\.integerValue) == [2, 3])
        #expect(inner.map(\.location) == [SourceLocation(line: 1, column: 37), SourceLocation(line: 1, column: 40)])
        #expect(doc["a"]?["e"]?.integerValue == 5)
        #expect(doc["g"]?["h"]?.integerValue == 7)
        // A duplicate is looked for among the object's own keys only, not its parent's.
        #expect(error(#"{"a": {"a": 1}, "b": {"a": {"a": 2}}}"#) == nil)
        #expect(
            error(#"{"a": {"x": 1}, "b": {"x": 2, "x": 3}}"#)?.message == "duplicate key \"x\" (first written at 1:23)")
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        let doc = try parse(#"["a\"b\\c\n\u00e9\ud83d\ude00"]"#)
        guard case .array(let items) = doc.value, case .string(let text) = items.first?.value else {
            Issue.record("not a string array")
            return
        }
        #expect(text == "a\"b\\c\né😀")
    }

    /// Small objects find duplicates by scanning, large ones switch to a dictionary: both report
    /// the first spelling, whether the duplicate comes before or after the switch.
    @Test(arguments: [5, 31, 32, 33, 80])
    func findsDuplicateKeysInObjectsOfAnySize(keys: Int) {
        let members = (0..<keys).map { "\"k\($0)\": \($0)" }
        for duplicate in [0, keys - 1] {
            let text = "{" + (members + ["\"k\(duplicate)\": 0"]).joined(separator: ",") + "}"
            let column = 2 + members.prefix(duplicate).reduce(0) { $0 + $1.count + 1 }
            #expect(error(text)?.message == "duplicate key \"k\(duplicate)\" (first written at 1:\(column))")
        }
        let unique = "{" + members.joined(separator: ",") + "}"
        #expect(error(unique) == nil)
    }

    @Test(arguments: [
        ("{\"a\": 1,}", 1, 9, "trailing comma before '}'"),
        ("[1, 2,]", 1, 7, "trailing comma before ']'"),
        ("{\n  \"a\": \"open\n}", 2, 8, "unterminated string"),
        ("{\"a\": 1, \"a\": 2}", 1, 10, "duplicate key \"a\" (first written at 1:2)"),
        ("{'a': 1}", 1, 2, "expected a key in double quotes"),
        ("{\"a\": 'x'}", 1, 7, "single quotes"),
        ("{\"a\": 1 // note\n}", 1, 9, "expected ',' or '}' after the value of \"a\""),
        ("// c\n{}", 1, 1, "comments are not allowed"),
        ("{\"a\": True}", 1, 7, "JSON literals are lower-case"),
        ("", 1, 1, "the file is empty"),
        ("{\"a\": 1} x", 1, 10, "after the end of the JSON document"),
        ("{\"a\": 01}", 1, 7, "leading zeros"),
        ("{\"a\" 1}", 1, 6, "expected ':' after the key \"a\""),
        ("{\"a\": [1, 2}", 1, 12, "expected ',' or ']'"),
        ("{\"a\": {\"b\": 1}", 1, 15, "not closed"),
    ])
    func explainsMistakesWhereTheyAre(text: String, line: Int, column: Int, message: String) {
        let found = error(text)
        #expect(found?.location == SourceLocation(line: line, column: column), "\(found?.message ?? "no error")")
        #expect(found?.message.contains(message) == true, "\(found?.message ?? "no error")")
    }
}
