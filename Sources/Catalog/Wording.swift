/// The plural ending for a counted English noun: `"\(n) violation\(plural(n))"`. One home for
/// every count printed by the reports, the commands and the screens.
public func plural(_ count: Int) -> String { count == 1 ? "" : "s" }
