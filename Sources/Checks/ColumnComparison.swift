import Catalog
import Contracts

/// Compares one column's expectation with the catalog column, and classifies each difference
/// as breaking or not from a consumer's point of view (DESIGN.md §5).
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

        if let type = expected.dataType, !DataTypeVocabulary.matches(expected: type, actual: actual.dataType) {
            // A different type makes length/precision/element comparisons meaningless: report once.
            found.append(Difference(
                kind: .dataType, expected: .text(type), actual: .text(actual.dataType), breaking: true,
                explanation: "expected data_type \(type), found \(actual.dataType) (\(actual.formattedType))"
            ))
        } else {
            if let element = expected.arrayElementType {
                let actualElement = actual.arrayElementType
                if actualElement.map({ !DataTypeVocabulary.matches(expected: element, actual: $0) }) ?? true {
                    found.append(Difference(
                        kind: .arrayElementType, expected: .text(element), actual: actualElement.map(FindingValue.text) ?? .null,
                        breaking: true,
                        explanation: actualElement.map { "expected an array of \(element), found an array of \($0)" }
                            ?? "expected an array of \(element), found \(actual.formattedType)"
                    ))
                }
            }
            if let limit = compareBound(expected.characterMaximumLength, actual.characterMaximumLength, .characterMaximumLength, noun: "character_maximum_length", lowerIs: "shorter", higherIs: "longer", unbounded: "no length limit") {
                found.append(limit)
            }
            if let precision = compareBound(expected.numericPrecision, actual.numericPrecision, .numericPrecision, noun: "numeric_precision", lowerIs: "lower", higherIs: "higher", unbounded: "no precision limit") {
                found.append(precision)
            }
            if let scale = compareBound(expected.numericScale, actual.numericScale, .numericScale, noun: "numeric_scale", lowerIs: "lower", higherIs: "higher", unbounded: "no fixed scale") {
                found.append(scale)
            }
            if let precision = compareBound(expected.datetimePrecision, actual.datetimePrecision, .datetimePrecision, noun: "datetime_precision", lowerIs: "lower", higherIs: "higher", unbounded: "no datetime precision") {
                found.append(precision)
            }
        }

        if let nullable = expected.isNullable, nullable != actual.isNullable {
            // Consumers relying on NOT NULL break when NULLs may appear; the reverse is safe.
            found.append(Difference(
                kind: .isNullable, expected: .bool(nullable), actual: .bool(actual.isNullable),
                breaking: !nullable,
                explanation: nullable ? "the contract allows NULL, the column is NOT NULL" : "the contract says NOT NULL, the column allows NULL"
            ))
        }
        if let primaryKey = expected.primaryKey, primaryKey != actual.isPrimaryKey {
            found.append(Difference(
                kind: .primaryKey, expected: .bool(primaryKey), actual: .bool(actual.isPrimaryKey),
                breaking: primaryKey,
                explanation: primaryKey ? "the contract says primary key, the column is not part of the primary key" : "the column is part of the primary key, which the contract does not ask for"
            ))
        }
        if let position = expected.primaryKeyPosition, expected.primaryKey != false, actual.isPrimaryKey,
           position != actual.primaryKeyPosition {
            // Same key, other column order: joins still work, index usage may change.
            found.append(Difference(
                kind: .primaryKey, expected: .int(position), actual: actual.primaryKeyPosition.map(FindingValue.int) ?? .null, breaking: false,
                explanation: "expected at position \(position) of the primary key, found at position \(actual.primaryKeyPosition ?? 0)"
            ))
        }
        if let unique = expected.unique, unique != actual.isUnique {
            // Consumers deduplicating or joining on a unique column break when duplicates may appear.
            found.append(Difference(
                kind: .unique, expected: .bool(unique), actual: .bool(actual.isUnique), breaking: unique,
                explanation: unique ? "the contract says unique, the column has no unique index of its own" : "the column is unique, which the contract does not ask for"
            ))
        }
        if let updatable = expected.isUpdatable, updatable != actual.isUpdatable {
            found.append(Difference(
                kind: .isUpdatable, expected: .bool(updatable), actual: .bool(actual.isUpdatable), breaking: false,
                explanation: updatable ? "the contract says updatable, the column is not" : "the contract says not updatable, the column is"
            ))
        }
        return found
    }

    /// A numeric limit where lower breaks consumers and higher (or none at all) does not.
    private static func compareBound(_ expected: Int?, _ actual: Int?, _ kind: ViolationKind, noun: String, lowerIs: String, higherIs: String, unbounded: String) -> Difference? {
        guard let expected, expected != actual else { return nil }
        guard let actual else {
            return Difference(kind: kind, expected: .int(expected), actual: .null, breaking: false,
                              explanation: "expected \(noun) \(expected), found \(unbounded)")
        }
        let lower = actual < expected
        return Difference(kind: kind, expected: .int(expected), actual: .int(actual), breaking: lower,
                          explanation: "expected \(noun) \(expected), found \(actual) (\(lower ? lowerIs : higherIs))")
    }

    /// Whether a catalog column could be a missing contract column under a new name: every
    /// type facet the contract states matches.
    static func couldBeRenamed(_ expected: ColumnExpectation, to column: CatalogColumn) -> Bool {
        if let type = expected.dataType, !DataTypeVocabulary.matches(expected: type, actual: column.dataType) { return false }
        if let element = expected.arrayElementType {
            guard let actual = column.arrayElementType, DataTypeVocabulary.matches(expected: element, actual: actual) else { return false }
        }
        if let length = expected.characterMaximumLength, length != column.characterMaximumLength { return false }
        return true
    }
}
