/// The password a connection string holds, found without libpq: a DSN libpq cannot parse is
/// exactly the one whose error message may quote it back (`invalid IPv6 host address in URI:
/// "postgresql://u:secret@[::1/db"`). Every message of the Postgres layer is redacted against
/// these, and against the shapes a password takes in any text (`user:…@`, `password=…`).
public enum DSNSecrets {
    /// Candidate passwords in `dsn`: the URI's `user:password@` part (as written and
    /// percent-decoded), a `password=` query parameter or conninfo keyword (quoted, unquoted, or
    /// unterminated). Never empty strings.
    public static func passwords(in dsn: String?) -> [String] {
        guard let dsn, !dsn.isEmpty else { return [] }
        var found: [String] = []
        if let scheme = dsn.range(of: "://") {
            let rest = dsn[scheme.upperBound...]
            if let at = rest.lastIndex(of: "@") {
                let userInfo = rest[..<at]
                if let colon = userInfo.firstIndex(of: ":") {
                    let password = String(userInfo[userInfo.index(after: colon)...])
                    found.append(password)
                    if let decoded = password.removingPercentEncodingLeniently { found.append(decoded) }
                }
            }
        }
        found += keywordValues("password", in: dsn)
        return Array(Set(found.filter { !$0.isEmpty })).sorted { $0.count > $1.count }
    }

    /// Values written as `name=value`, `name = 'quoted value'` or `?name=value&…`.
    static func keywordValues(_ name: String, in text: String) -> [String] {
        var values: [String] = []
        var search = text.startIndex
        while let range = text.range(of: name, options: .caseInsensitive, range: search..<text.endIndex) {
            search = range.upperBound
            var cursor = range.upperBound
            while cursor < text.endIndex, text[cursor] == " " { cursor = text.index(after: cursor) }
            guard cursor < text.endIndex, text[cursor] == "=" else { continue }
            cursor = text.index(after: cursor)
            while cursor < text.endIndex, text[cursor] == " " { cursor = text.index(after: cursor) }
            var value = ""
            if cursor < text.endIndex, text[cursor] == "'" {
                cursor = text.index(after: cursor)
                while cursor < text.endIndex, text[cursor] != "'" {
                    if text[cursor] == "\\", text.index(after: cursor) < text.endIndex {
                        cursor = text.index(after: cursor)
                    }
                    value.append(text[cursor])
                    cursor = text.index(after: cursor)
                }
            } else {
                while cursor < text.endIndex, !text[cursor].isWhitespace, text[cursor] != "&" {
                    value.append(text[cursor])
                    cursor = text.index(after: cursor)
                }
            }
            values.append(value)
            if let decoded = value.removingPercentEncodingLeniently, decoded != value { values.append(decoded) }
        }
        return values
    }

    /// `text` with every secret, and anything shaped like a password, replaced by asterisks.
    public static func redact(_ text: String, _ secrets: [String]) -> String {
        var result = text
        for secret in secrets where !secret.isEmpty {
            result = result.replacingOccurrences(of: secret, with: "********")
        }
        // Shapes, for passwords we could not know (another DSN quoted in a message).
        for password in passwords(in: result) where password != "********" {
            result = result.replacingOccurrences(of: password, with: "********")
        }
        return result
    }
}

extension String {
    /// Percent-decoding that leaves a malformed escape (`%zz`) as written instead of failing.
    fileprivate var removingPercentEncodingLeniently: String? {
        guard contains("%") else { return nil }
        var bytes: [UInt8] = []
        var utf8 = Array(self.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%"), utf8.count >= 2,
                let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
