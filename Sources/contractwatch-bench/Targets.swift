import Foundation

/// One bound the bench checks a figure against (issue-style targets: "check ≤ 1.3× psql"),
/// with the figure as measured and whether it is met; `met` nil when it was not measured.
struct Target {
    var name: String
    var figure: String
    var met: Bool?

    /// `value` against `bound` (at most); nan or infinite values are "not measured".
    init(_ name: String, _ value: Double, atMost bound: Double, format: String) {
        self.name = name
        guard value.isFinite else {
            figure = "not measured"
            met = nil
            return
        }
        figure = String(format: format, value)
        met = value <= bound
    }

    var mark: String {
        switch met {
        case true?: "✓"
        case false?: "✗"
        case nil: "–"
        }
    }

    var line: String { "\(mark) \(name): \(figure)" }

    /// "8/8 met" or "7/8 met (✗ check ≤ 1.3× psql: 1.32×)", not counting what was not measured.
    static func verdict(_ targets: [Target]) -> String {
        let measured = targets.filter { $0.met != nil }
        let missed = measured.filter { $0.met == false }
        let unmeasured = targets.count - measured.count
        var text = "\(measured.count - missed.count)/\(measured.count) met"
        if !missed.isEmpty { text += " (" + missed.map(\.line).joined(separator: "; ") + ")" }
        if unmeasured > 0 { text += ", \(unmeasured) not measured" }
        return text
    }
}

/// The 1, 5 and 15 minute load averages, as the kernel says ("0.52 0.61 0.70").
func loadAverage() -> String {
    ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "")
        .split(separator: " ").prefix(3).joined(separator: " ")
}
