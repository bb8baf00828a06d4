/// The `information_schema.columns.data_type` vocabulary, and the aliases people write.
public enum DataTypeVocabulary {
    /// Spellings `information_schema` uses for built-in types (plus the two markers).
    public static let canonicalNames: Set<String> = [
        "ARRAY", "USER-DEFINED", "bigint", "bit", "bit varying", "boolean", "box", "bytea",
        "character", "character varying", "cidr", "circle", "date", "daterange", "double precision",
        "inet", "int4range", "int8range", "integer", "interval", "json", "jsonb", "jsonpath", "line",
        "lseg", "macaddr", "macaddr8", "money", "numeric", "numrange", "oid", "path", "pg_lsn",
        "point", "polygon", "real", "smallint", "text", "time with time zone",
        "time without time zone", "timestamp with time zone", "timestamp without time zone",
        "tsquery", "tsrange", "tstzrange", "tsvector", "txid_snapshot", "uuid", "xml", "name",
        "\"char\"", "regclass", "regtype", "regproc", "xid", "cid", "tid", "pg_snapshot",
        "int4multirange", "int8multirange", "nummultirange", "datemultirange", "tsmultirange",
        "tstzmultirange",
    ]

    static let aliases: [String: String] = [
        "int": "integer", "int4": "integer", "serial": "integer", "serial4": "integer",
        "int2": "smallint", "smallserial": "smallint", "serial2": "smallint",
        "int8": "bigint", "bigserial": "bigint", "serial8": "bigint",
        "varchar": "character varying", "char": "character", "bpchar": "character",
        "bool": "boolean", "float8": "double precision", "float": "double precision",
        "double": "double precision", "float4": "real", "decimal": "numeric",
        "timestamp": "timestamp without time zone", "timestamptz": "timestamp with time zone",
        "time": "time without time zone", "timetz": "time with time zone",
        "varbit": "bit varying", "array": "ARRAY", "user-defined": "USER-DEFINED",
    ]

    /// The canonical spelling for `name`, or nil when it is not a known type name.
    /// Case and surrounding/multiple spaces are ignored (`Character  Varying` → `character varying`).
    public static func canonical(_ name: String) -> String? {
        if canonicalNames.contains(name) { return name } // as written by `init` and the book
        let squeezed = name.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
        if canonicalNames.contains(squeezed) { return squeezed }
        let lower = squeezed.lowercased()
        if canonicalNames.contains(lower) { return lower }
        if squeezed.uppercased() == "ARRAY" { return "ARRAY" }
        if squeezed.uppercased() == "USER-DEFINED" { return "USER-DEFINED" }
        return aliases[lower]
    }

    /// Whether a contract's spelling and the catalog's `data_type` name the same type.
    public static func matches(expected: String, actual: String) -> Bool {
        if expected == actual { return true }
        return (canonical(expected) ?? expected.lowercased()) == (canonical(actual) ?? actual.lowercased())
    }
}
