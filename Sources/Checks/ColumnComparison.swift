import Catalog
import Contracts

/// Compares one column's expectation with the catalog column, and classifies each difference
/// as breaking or not from a consumer's point of view (README.md, "What is checked").
public enum ColumnComparison {
    public struct Difference: Sendable, Hashable {
        public var kind: ViolationKind
        public var expected: FindingValue
        public var actual: FindingValue
        public var breaking: Bool
        public var explanation: String
    }

    public static func differences(_ expected: ColumnExpectation, _ actual: CatalogColumn) -> [Difference] {
        var found: [Difference] = []

        if let mismatch = typeMismatch(expected, actual) {
            // A different type makes length/precision/element comparisons meaningless: report once.
            found.append(mismatch)
        } else {
            if let mismatch = elementMismatch(expected, actual) {
                found.append(mismatch)
            } else if actual.dataType == "ARRAY" {
                let element = actual.arrayElementType ?? "USER-DEFINED"
                found += modifierDifferences(
                    expected.elementModifiers, actual.elementModifiers ?? TypeModifiers(), of: element,
                    subject: "array element ")
            }
            found += modifierDifferences(expected.modifiers, actual.modifiers, of: actual.dataType, subject: "")
        }

        if let nullable = expected.isNullable, nullable != actual.isNullable {
            // Consumers relying on NOT NULL break when NULLs may appear; the reverse is safe.
            found.append(
                Difference(
                    kind: .isNullable, expected: .bool(nullable), actual: .bool(actual.isNullable),
                    breaking: !nullable,
                    explanation: nullable
                        ? "the contract allows NULL, the column is NOT NULL"
                        : "the contract says NOT NULL, the column allows NULL"
                ))
        }
        if let primaryKey = expected.primaryKey, primaryKey != actual.isPrimaryKey {
            found.append(
                Difference(
                    kind: .primaryKey, expected: .bool(primaryKey), actual: .bool(actual.isPrimaryKey),
                    breaking: primaryKey,
                    explanation: primaryKey
                        ? "the contract says primary key, the column is not part of the primary key"
                        : "the column is part of the primary key, which the contract does not ask for"
                ))
        }
        if let position = expected.primaryKeyPosition, expected.primaryKey != false, actual.isPrimaryKey,
            position != actual.primaryKeyPosition
        {
            // Same key, other column order: joins still work, index usage may change.
            found.append(
                Difference(
                    kind: .primaryKey, expected: .int(position),
                    actual: actual.primaryKeyPosition.map(FindingValue.int) ?? .null, breaking: false,
                    explanation:
                        "expected at position \(position) of the primary key, found at position "
                        + "\(actual.primaryKeyPosition ?? 0)"
                ))
        }
        if let unique = expected.unique, unique != actual.isUnique {
            // Consumers deduplicating or joining on a unique column break when duplicates may appear.
            found.append(
                Difference(
                    kind: .unique, expected: .bool(unique), actual: .bool(actual.isUnique), breaking: unique,
                    explanation: unique
                        ? "the contract says unique, the column has no unique index of its own"
                        : "the column is unique, which the contract does not ask for"
                ))
        }
        if let updatable = expected.isUpdatable, updatable != actual.isUpdatable {
            found.append(
                Difference(
                    kind: .isUpdatable, expected: .bool(updatable), actual: .bool(actual.isUpdatable), breaking: false,
                    explanation: updatable
                        ? "the contract says updatable, the column is not"
                        : "the contract says not updatable, the column is"
                ))
        }
        return found
    }

    /// The column's type is not the one the contract names: by `data_type`, by the name of a
    /// domain or user type (ODCS `physicalType: year`), or by `domain_name`/`udt_name`.
    static func typeMismatch(_ expected: ColumnExpectation, _ actual: CatalogColumn) -> Difference? {
        func mismatch(_ expectedText: String, _ actualText: String) -> Difference {
            Difference(
                kind: .dataType, expected: .text(expectedText), actual: .text(actualText), breaking: true,
                explanation:
                    "expected data_type \(expectedText), found "
                    + "\(actualText == actual.formattedType ? actualText : "\(actualText) (\(actual.formattedType))")"
            )
        }
        if let name = expected.typeName {
            if let domain = actual.domain, name.matches(schema: domain.schema, name: domain.name) { return nil }
            if actual.domain == nil, let type = actual.userType, name.matches(schema: type.schema, name: type.name) {
                return nil
            }
            // A built-in outside information_schema's vocabulary (`int2vector`, `regconfig`).
            if actual.domain == nil, actual.userType == nil, name.schema == nil, name.name == actual.formattedType {
                return nil
            }
            // Not that domain or type; a built-in of the same spelling (`Name`) may still match.
            if expected.dataType == nil { return mismatch(name.description, actual.formattedType) }
        }
        if let type = expected.dataType, !DataTypeVocabulary.matches(expected: type, actual: actual.dataType) {
            // Neither the domain `Name` nor the built-in `name`: say it as the contract wrote it.
            return mismatch(expected.typeName?.description ?? type, actual.dataType)
        }
        if let domain = expected.domainName, domain != actual.domain?.name {
            return Difference(
                kind: .dataType, expected: .text(domain), actual: actual.domain.map { .text($0.name) } ?? .null,
                breaking: true,
                explanation: "expected domain_name \(domain), found "
                    + (actual.domain.map { "domain \($0.name)" } ?? "\(actual.formattedType) (no domain)"))
        }
        if let udt = expected.udtName {
            // Built-in types are not stored by udt name: compare through their data_type (`int4`).
            let same = actual.userType.map { $0.name == udt } ?? (DataTypeVocabulary.canonical(udt) == actual.dataType)
            if !same { return mismatch(udt, actual.userType?.name ?? actual.formattedType) }
        }
        return nil
    }

    /// The element type of an array column is not the one the contract names.
    static func elementMismatch(_ expected: ColumnExpectation, _ actual: CatalogColumn) -> Difference? {
        let actualElement = actual.arrayElementType
        func mismatch(_ element: String) -> Difference {
            Difference(
                kind: .arrayElementType, expected: .text(element),
                actual: actualElement.map(FindingValue.text) ?? .null, breaking: true,
                explanation: "expected an array of \(element), found \(actual.formattedType)")
        }
        if let name = expected.elementTypeName {
            guard let type = actual.elementUserType, name.matches(schema: type.schema, name: type.name) else {
                return mismatch(name.description)
            }
            return nil
        }
        if let element = expected.arrayElementType,
            actualElement.map({ !DataTypeVocabulary.matches(expected: element, actual: $0) }) ?? true
        {
            return mismatch(element)
        }
        return nil
    }

    /// Length, precision, scale, datetime precision and interval fields, with the direction
    /// rules of README's "What is checked": what breaks writers or changes what readers get.
    static func modifierDifferences(
        _ expected: ModifierExpectation, _ actual: TypeModifiers, of dataType: String, subject: String
    ) -> [Difference] {
        var found: [Difference] = []
        func text(_ value: Int?) -> String { value.map(String.init) ?? "no limit" }
        func value(_ limit: Limit<Int>) -> FindingValue { limit.value.map(FindingValue.int) ?? .text("unlimited") }
        func value(_ actual: Int?) -> FindingValue { actual.map(FindingValue.int) ?? .text("unlimited") }

        if let length = expected.characterMaximumLength, length.value != actual.characterMaximumLength {
            // character(n) and bit(n) are exact widths: values are padded or rejected to fit.
            let exact = dataType == "character" || dataType == "bit"
            let narrower =
                switch (length.value, actual.characterMaximumLength) {
                case (nil, _?): true
                case (let expected?, let actual?): actual < expected
                default: false
                }
            let breaking = exact || narrower
            let reason =
                switch (exact, length.value, actual.characterMaximumLength) {
                case (true, _, _): "; \(dataType)(n) is an exact width"
                case (false, nil, _): " (limited where the contract has no limit)"
                case (false, _, nil): " (no limit)"
                default: narrower ? " (shorter)" : " (longer)"
                }
            found.append(
                Difference(
                    kind: .characterMaximumLength, expected: value(length),
                    actual: value(actual.characterMaximumLength), breaking: breaking,
                    explanation:
                        "\(subject)expected character_maximum_length \(text(length.value)), found "
                        + "\(text(actual.characterMaximumLength))\(reason)"
                ))
        }

        // numeric: an unlimited ↔ limited change is one finding (the precision); otherwise
        // precision and scale each, and fewer integer digits (precision − scale) also break.
        var scaleCompared = true
        var precisionBreaks = false
        if let precision = expected.numericPrecision, precision.value != actual.numericPrecision {
            let breaking: Bool
            let reason: String
            switch (precision.value, actual.numericPrecision) {
            case (nil, _?):
                breaking = true
                reason = " (limited where the contract has no limit)"
                scaleCompared = false
            case (_?, nil):
                breaking = false
                reason = " (no limit)"
                scaleCompared = false
            case (let expected?, let actual?):
                breaking = actual < expected
                reason = actual < expected ? " (lower)" : " (higher)"
            default:
                breaking = false
                reason = ""
            }
            precisionBreaks = breaking
            found.append(
                Difference(
                    kind: .numericPrecision, expected: value(precision), actual: value(actual.numericPrecision),
                    breaking: breaking,
                    explanation:
                        "\(subject)expected numeric_precision \(text(precision.value)), found "
                        + "\(text(actual.numericPrecision))\(reason)"
                ))
        }
        if scaleCompared, let scale = expected.numericScale, scale.value != actual.numericScale {
            var breaking = false
            var reason = ""
            switch (scale.value, actual.numericScale) {
            case (nil, _?):
                breaking = true
                reason = " (fixed where the contract has none)"
            case (_?, nil): reason = " (not fixed)"
            case (let expectedScale?, let actualScale?):
                // numeric(10,2) → numeric(10,4): more decimals, but 8 integer digits become 6
                // (unless a lower precision already says so).
                if !precisionBreaks, let expectedPrecision = expected.numericPrecision?.value,
                    let actualPrecision = actual.numericPrecision,
                    actualPrecision - actualScale < expectedPrecision - expectedScale
                {
                    breaking = true
                    reason =
                        " (integer digits \(expectedPrecision - expectedScale) → "
                        + "\(actualPrecision - actualScale): larger values no longer fit)"
                } else if actualScale < expectedScale {
                    breaking = true
                    reason = " (lower: values are rounded)"
                } else {
                    reason = " (higher)"
                }
            default: break
            }
            found.append(
                Difference(
                    kind: .numericScale, expected: value(scale), actual: value(actual.numericScale), breaking: breaking,
                    explanation:
                        "\(subject)expected numeric_scale \(text(scale.value)), found "
                        + "\(text(actual.numericScale))\(reason)"
                ))
        }

        if let precision = expected.datetimePrecision, precision != actual.datetimePrecision {
            let lower = actual.datetimePrecision.map { $0 < precision } ?? false
            found.append(
                Difference(
                    kind: .datetimePrecision, expected: .int(precision),
                    actual: actual.datetimePrecision.map(FindingValue.int) ?? .null,
                    breaking: lower,
                    explanation:
                        "\(subject)expected datetime_precision \(precision), found "
                        + (actual.datetimePrecision.map(String.init) ?? "none")
                        + (lower ? " (lower: fractional seconds are rounded)" : " (higher)")
                ))
        }

        if let fields = expected.intervalType, fields.value != actual.intervalType {
            // Fewer fields drop parts of stored values (`interval year to month` keeps no days);
            // more fields keep everything the contract promised.
            let expectedMask = InformationSchemaVocabulary.intervalFieldMask(fields.value) ?? 0
            let actualMask = InformationSchemaVocabulary.intervalFieldMask(actual.intervalType) ?? 0
            let wider = expectedMask & ~actualMask == 0
            func show(_ fields: String?) -> String {
                fields.map { "interval \($0.lowercased())" } ?? "interval (every field)"
            }
            found.append(
                Difference(
                    kind: .intervalType, expected: fields.value.map(FindingValue.text) ?? .text("unlimited"),
                    actual: actual.intervalType.map(FindingValue.text) ?? .text("unlimited"), breaking: !wider,
                    explanation:
                        "\(subject)expected \(show(fields.value)), found "
                        + show(actual.intervalType)
                        + (wider ? " (more fields)" : " (fewer fields: parts of values are dropped)")
                ))
        }
        return found
    }

    /// Whether a catalog column could be a missing contract column under a new name: every
    /// type facet the contract states matches.
    static func couldBeRenamed(_ expected: ColumnExpectation, to column: CatalogColumn) -> Bool {
        if let type = expected.dataType, !DataTypeVocabulary.matches(expected: type, actual: column.dataType) {
            return false
        }
        if let element = expected.arrayElementType {
            guard let actual = column.arrayElementType, DataTypeVocabulary.matches(expected: element, actual: actual)
            else { return false }
        }
        if let length = expected.modifiers.characterMaximumLength, length.value != column.characterMaximumLength {
            return false
        }
        return true
    }
}
