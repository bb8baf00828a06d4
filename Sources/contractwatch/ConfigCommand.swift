import ArgumentParser
import Dashboard
import Foundation
import Watch

/// `contractwatch config`: where contractwatch reads and writes, and what the config file says.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Show the files contractwatch uses and check the config file.",
        discussion: "Exit status 2 when the config file has problems (each is listed with line:column)."
    )

    @Option(name: .long, help: ArgumentHelp("Config file to check instead of the default.", valueName: "PATH"))
    var config: String?

    func run() throws {
        let settings = try UserSettings.load(config)
        let environment = ProcessInfo.processInfo.environment
        let configHome =
            environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (NSHomeDirectory() + "/.config")
        func exists(_ path: String) -> String { FileManager.default.fileExists(atPath: path) ? "" : "  (not there)" }
        var lines = [
            "config    \(settings.path)\(exists(settings.path))",
            "themes    \(configHome)/contractwatch/themes/NAME.yaml",
            "log       \(EventLog.defaultPath())\(exists(EventLog.defaultPath()))",
            "history   \(HistoryStore.defaultDirectory())\(exists(HistoryStore.defaultDirectory()))",
        ]
        let config = settings.settings
        if !config.profiles.isEmpty {
            lines.append(
                "profiles  "
                    + config.profiles.keys.sorted().map { $0 == config.profile ? $0 + " (default)" : $0 }
                    .joined(separator: ", "))
        }
        Output.write(lines.joined(separator: "\n") + "\n")
        var keyMap = KeyMap.standard
        let warnings = settings.warnings + keyMap.apply(overrides: config.keys).map { "\(settings.path): \($0)" }
        guard warnings.isEmpty else {
            throw CommandFailure(status: ExitStatus.usage, message: warnings.joined(separator: "\n"))
        }
    }
}
