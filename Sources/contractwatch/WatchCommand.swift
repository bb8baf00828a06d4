import ArgumentParser
import BuiltInThemes
import Catalog
import ContractFiles
import Dashboard
import Foundation
import Postgres
import Terminal
import Watch
import WatchModel

struct DashboardOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Seconds between polls.", valueName: "SECONDS"))
    var interval: Double = 2

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Theme: default, light, high-contrast, monochrome, or a path to a YAML file.", valueName: "NAME|PATH"))
    var theme: String = "default"

    @Flag(name: .customLong("no-color"), help: "No colours (same as NO_COLOR=1).")
    var noColor = false

    /// The demo's databases are thrown away, so their history is not worth keeping.
    var keepHistory = true

    func validate() throws {
        guard interval >= PollLoop.minimumInterval, interval <= PollLoop.maximumInterval else {
            throw ValidationError(
                "--interval must be between \(PollLoop.minimumInterval) and \(Int(PollLoop.maximumInterval)) seconds")
        }
    }
}

struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Open the live dashboard (the default command).",
        discussion:
            "Polls the database in the background and shows contracts, tables, violations and owners. Press ? "
            + "inside for keys."
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var contractOptions: ContractOptions
    @OptionGroup var dashboard: DashboardOptions

    func run() throws {
        let settings = connection.settings()
        try DashboardSession.run(
            settings: settings, contractsFolder: contractOptions.contracts, options: dashboard, hints: [])
    }
}

/// Runs the dashboard until the user quits or a signal arrives, and always restores the terminal.
enum DashboardSession {
    static func run(settings: ConnectionSettings, contractsFolder: String, options: DashboardOptions, hints: [String])
        throws
    {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: contractsFolder, isDirectory: &isDirectory), isDirectory.boolValue
        else {
            throw CommandFailure.usage("contracts folder \(contractsFolder): no such folder (use --contracts DIR)")
        }
        let catalog = ThemeCatalog(builtIns: BuiltInThemes.files)
        let noColor = options.noColor || !(ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
        let (theme, warnings) = try resolveTheme(options.theme, noColor: noColor, catalog: catalog)
        let log = EventLog()
        for warning in warnings {
            Output.error("contractwatch: warning: \(warning)")
            log.write("warning: \(warning)")
        }
        log.write(
            "dashboard started (contracts \(contractsFolder), interval \(options.interval)s, theme \(theme.name))")

        let watcher = Watcher(
            Watcher.Configuration(
                settings: settings, contractsFolder: contractsFolder, interval: options.interval,
                historyDirectory: options.keepHistory ? HistoryStore.defaultDirectory() : nil), log: log)
        watcher.start()
        defer { watcher.stop() }

        let stop = StopSignal.install()
        try MainActor.assumeIsolated {
            let screen: TerminalScreen
            do {
                screen = try TerminalScreen(theme: theme, useColor: !noColor)
            } catch {
                throw CommandFailure.usage("\(error)")
            }
            defer { screen.end() }
            if screen.colorCount == 0 { screen.setTheme(catalog.monochrome) }
            var model = DashboardModel(status: watcher.latest, hints: hints + ["Log: \(log.path)"])
            if !warnings.isEmpty {
                model.setFlash(
                    "theme: \(warnings.count) warning\(plural(warnings.count)), see \(log.path)", isError: true,
                    now: Date())
            } else if !hints.isEmpty {
                model.setFlash(
                    "demo: press ? for the psql command to try a migration in another terminal",
                    now: Date().addingTimeInterval(7))
            }
            UILoop.run(screen: screen, watcher: watcher, model: &model, stop: stop)
        }
        log.write("dashboard stopped")
    }

    static func resolveTheme(_ name: String, noColor: Bool, catalog: ThemeCatalog) throws -> (Theme, [String]) {
        if noColor { return (catalog.monochrome, []) }
        if let builtIn = catalog.builtIn(name) { return (builtIn, []) }
        var candidates: [String] = []
        if name.contains("/") || name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
            candidates.append(name)
        } else {
            let environment = ProcessInfo.processInfo.environment
            let config =
                environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (NSHomeDirectory() + "/.config")
            candidates += ["\(config)/contractwatch/themes/\(name).yaml", "themes/\(name).yaml"]
        }
        for path in candidates where FileManager.default.fileExists(atPath: path) {
            switch ContractFolder.readFile(path, limit: 1 << 20) {
            case .success(let data): return catalog.parse(String(decoding: data, as: UTF8.self), name: name)
            case .failure(let unreadable): throw CommandFailure.usage("theme \(path): \(unreadable.reason)")
            }
        }
        throw CommandFailure.usage(
            "unknown theme \"\(name)\": use one of \(BuiltInThemes.names.joined(separator: ", ")), or a path to a "
                + "YAML file"
        )
    }
}
