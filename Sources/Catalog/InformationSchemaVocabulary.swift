/// Derives `information_schema.columns` facts from raw pg_catalog facts, mirroring the
/// `information_schema._pg_*` helper functions of PostgreSQL 15 (`data_type`,
/// `character_maximum_length`, `numeric_precision`, `numeric_scale`, `datetime_precision`),
/// so contracts written against information_schema compare exactly.
public enum InformationSchemaVocabulary {
    /// Raw facts of one column's type, as read from pg_attribute and pg_type.
    public struct TypeFacts: Sendable, Hashable {
        public var typeOid: Int
        public var typmod: Int
        public var isDomain: Bool
        public var domainNotNull: Bool
        public var baseTypeOid: Int
        public var domainTypmod: Int
        public var typeElement: Int
        public var typeLength: Int
        public var typeInCatalog: Bool
        /// `format_type(atttypid, NULL)`
        public var typeName: String
        public var baseElement: Int
        public var baseLength: Int
        public var baseInCatalog: Bool
        /// `format_type(typbasetype, NULL)` for domains
        public var baseTypeName: String
        /// `format_type(element, NULL)` for arrays (of the base type, for domains over arrays)
        public var elementTypeName: String?
        public var elementInCatalog: Bool

        public init(
            typeOid: Int, typmod: Int = -1, isDomain: Bool = false, domainNotNull: Bool = false,
            baseTypeOid: Int = 0, domainTypmod: Int = -1, typeElement: Int = 0, typeLength: Int = 4,
            typeInCatalog: Bool = true, typeName: String, baseElement: Int = 0, baseLength: Int = 0,
            baseInCatalog: Bool = false, baseTypeName: String = "", elementTypeName: String? = nil,
            elementInCatalog: Bool = true
        ) {
            self.typeOid = typeOid
            self.typmod = typmod
            self.isDomain = isDomain
            self.domainNotNull = domainNotNull
            self.baseTypeOid = baseTypeOid
            self.domainTypmod = domainTypmod
            self.typeElement = typeElement
            self.typeLength = typeLength
            self.typeInCatalog = typeInCatalog
            self.typeName = typeName
            self.baseElement = baseElement
            self.baseLength = baseLength
            self.baseInCatalog = baseInCatalog
            self.baseTypeName = baseTypeName
            self.elementTypeName = elementTypeName
            self.elementInCatalog = elementInCatalog
        }
    }

    public struct Derived: Sendable, Hashable {
        public var dataType: String
        public var characterMaximumLength: Int?
        public var numericPrecision: Int?
        public var numericScale: Int?
        public var datetimePrecision: Int?
        public var intervalType: String?
        public var arrayElementType: String?
        public var elementModifiers: TypeModifiers?
    }

    // Type oids used by the information_schema helper functions.
    static let int2 = 21, int4 = 23, int8 = 20, numeric = 1700, float4 = 700, float8 = 701
    static let bpchar = 1042, varchar = 1043, bit = 1560, varbit = 1562
    static let date = 1082, time = 1083, timestamp = 1114, timestamptz = 1184, timetz = 1266, interval = 1186

    public static func derive(_ facts: TypeFacts) -> Derived {
        let trueType = facts.isDomain ? facts.baseTypeOid : facts.typeOid
        let trueTypmod = facts.isDomain ? facts.domainTypmod : facts.typmod
        let dataType: String
        if facts.isDomain {
            if facts.baseElement != 0 && facts.baseLength == -1 {
                dataType = "ARRAY"
            } else if facts.baseInCatalog {
                dataType = facts.baseTypeName
            } else {
                dataType = "USER-DEFINED"
            }
        } else if facts.typeElement != 0 && facts.typeLength == -1 {
            dataType = "ARRAY"
        } else if facts.typeInCatalog {
            dataType = facts.typeName
        } else {
            dataType = "USER-DEFINED"
        }
        var element: String?
        var elementModifiers: TypeModifiers?
        if dataType == "ARRAY" {
            element = facts.elementInCatalog ? facts.elementTypeName : "USER-DEFINED"
            // An array's typmod is its element's: `varchar(10)[]` has typmod 14.
            let elementType = facts.isDomain ? facts.baseElement : facts.typeElement
            let modifiers = TypeModifiers(
                characterMaximumLength: characterMaximumLength(elementType, trueTypmod),
                numericPrecision: numericPrecision(elementType, trueTypmod),
                numericScale: numericScale(elementType, trueTypmod),
                datetimePrecision: datetimePrecision(elementType, trueTypmod),
                intervalType: intervalType(elementType, trueTypmod)
            )
            if modifiers != TypeModifiers() { elementModifiers = modifiers }
        }
        return Derived(
            dataType: dataType,
            characterMaximumLength: characterMaximumLength(trueType, trueTypmod),
            numericPrecision: numericPrecision(trueType, trueTypmod),
            numericScale: numericScale(trueType, trueTypmod),
            datetimePrecision: datetimePrecision(trueType, trueTypmod),
            intervalType: intervalType(trueType, trueTypmod),
            arrayElementType: element,
            elementModifiers: elementModifiers
        )
    }

    /// `_pg_char_max_length`
    static func characterMaximumLength(_ type: Int, _ typmod: Int) -> Int? {
        if typmod == -1 { return nil }
        if type == bpchar || type == varchar { return typmod - 4 }
        if type == bit || type == varbit { return typmod }
        return nil
    }

    /// `_pg_numeric_precision`
    static func numericPrecision(_ type: Int, _ typmod: Int) -> Int? {
        switch type {
        case int2: 16
        case int4: 32
        case int8: 64
        case numeric: typmod == -1 ? nil : ((typmod - 4) >> 16) & 65535
        case float4: 24
        case float8: 53
        default: nil
        }
    }

    /// `_pg_numeric_scale`, except that the scale is read as PostgreSQL 15 stores it: 11 bits,
    /// signed (`numeric(5,-2)` has scale -2, where information_schema shows 2046).
    static func numericScale(_ type: Int, _ typmod: Int) -> Int? {
        if type == int2 || type == int4 || type == int8 { return 0 }
        if type == numeric { return typmod == -1 ? nil : (((typmod - 4) & 0x7FF) ^ 1024) - 1024 }
        return nil
    }

    /// `information_schema.columns.interval_type`, from the range bits of an interval's typmod
    /// (`INTERVAL_MASK` of PostgreSQL's datetime.h: MONTH 1, YEAR 2, DAY 3, HOUR 10, MINUTE 11,
    /// SECOND 12); nil for every field (`INTERVAL_FULL_RANGE`) and for other types.
    static func intervalType(_ type: Int, _ typmod: Int) -> String? {
        guard type == interval, typmod >= 0 else { return nil }
        return intervalFieldNames[(typmod >> 16) & 0x7FFF]
    }

    /// Whether `name` is an `interval_type` spelling (`YEAR`, `DAY TO SECOND`…), upper case.
    public static func isIntervalFields(_ name: String) -> Bool { intervalFieldMasks[name] != nil }

    /// The range bits of `interval_type` names (`YEAR TO MONTH` → YEAR|MONTH); every field for nil.
    public static func intervalFieldMask(_ name: String?) -> Int? {
        guard let name else { return 0x7FFF }
        return intervalFieldMasks[name]
    }

    static let intervalFieldMasks = Dictionary(uniqueKeysWithValues: intervalFieldNames.map { ($0.value, $0.key) })

    static let intervalFieldNames: [Int: String] = {
        let month = 1 << 1
        let year = 1 << 2
        let day = 1 << 3
        let hour = 1 << 10
        let minute = 1 << 11
        let second = 1 << 12
        return [
            year: "YEAR", month: "MONTH", day: "DAY", hour: "HOUR", minute: "MINUTE", second: "SECOND",
            year | month: "YEAR TO MONTH", day | hour: "DAY TO HOUR", day | hour | minute: "DAY TO MINUTE",
            day | hour | minute | second: "DAY TO SECOND", hour | minute: "HOUR TO MINUTE",
            hour | minute | second: "HOUR TO SECOND", minute | second: "MINUTE TO SECOND",
        ]
    }()

    /// `_pg_datetime_precision`
    static func datetimePrecision(_ type: Int, _ typmod: Int) -> Int? {
        if type == date { return 0 }
        if type == time || type == timestamp || type == timestamptz || type == timetz {
            return typmod < 0 ? 6 : typmod
        }
        if type == interval {
            return (typmod < 0 || typmod & 0xFFFF == 0xFFFF) ? 6 : typmod & 0xFFFF
        }
        return nil
    }
}
