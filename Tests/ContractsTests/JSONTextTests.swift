import Contracts
import Testing

struct JSONTextTests {
    @Test func rendersNestedValuesWithTwoSpaceIndentation() {
        let text = JSONText.object([
            ("name", .string("orders")), ("count", .int(-3)), ("ok", .bool(true)), ("none", .null),
            ("empty", .object([])), ("list", .array([.int(1), .array([]), .object([("k", .bool(false))])])),
        ])
        #expect(
            text.rendered() == """
                {
                  "name": "orders",
                  "count": -3,
                  "ok": true,
                  "none": null,
                  "empty": {},
                  "list": [
                    1,
                    [],
                    {
                      "k": false
                    }
                  ]
                }
                """)
    }

    @Test func escapesQuotesBackslashesAndControlCharactersOnly() {
        #expect(JSONText.string("plain é 表").rendered() == #""plain é 表""#)
        #expect(JSONText.string("a\"b\\c\nd\re\tf\u{01}").rendered() == #""a\"b\\c\nd\re\tf\u0001""#)
        #expect(JSONText.object([("k\"ey", .string("v"))]).rendered() == "{\n  \"k\\\"ey\": \"v\"\n}")
    }
}
