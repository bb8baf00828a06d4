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
    @Option(
        name: .long,
        help: ArgumentHelp("Seconds from the start of one poll to the next (default 2).", valueName: "SECONDS"))
    var interval: Double?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "A folder of migrations to watch on the Migrations screen (6): its pending files are previewed on a "
                + "schema copy on every save.",
            valueName: "DIR"))
    var migrations: String?

    @Option(
        name: .customLong("from"),
        help: ArgumentHelp(
            "With --migrations: the first pending file (instead of the tool's history table).", valueName: "FILE"))
    var from: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Theme: default, light, high-contrast, monochrome, or a path to a YAML file.", valueName: "NAME|PATH"))
    var theme: String?

    @Flag(name: .customLong("no-color"), help: "No colours (same as NO_COLOR=1).")
    var noColor = false

    @Flag(name: .long, help: "Log every poll (kind, duration, findings) to the log file, not only failures.")
    var debug = false

    @Flag(name: .long, help: "Report mouse clicks and the wheel (M toggles it inside; off keeps text selection).")
    var mouse = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Config file (default $CONTRACTWATCH_CONFIG, else $XDG_CONFIG_HOME/contractwatch/config.yaml).",
            valueName: "PATH"))
    var config: String?

    /// The demo's databases are thrown away, so their history is not worth keeping.
    var keepHistory = true

    func validate() throws {
        guard let interval else { return }
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
    @Option(name: .long, help: ArgumentHelp("Folder of contract files (default ./contracts).", valueName: "DIR"))
    var contracts: String?
    @Option(name: .long, help: ArgumentHelp("A connection profile of the config file.", valueName: "NAME"))
    var profile: String?
    @OptionGroup var dashboard: DashboardOptions

    func run() throws {
        let config = try UserSettings.load(dashboard.config)
        var settings = connection.settings()
        var folder = contracts
        // Flags first, then the profile (named, or the config's default), then the config.
        let name = profile ?? config.settings.profile
        if let name {
            guard let chosen = config.settings.profiles[name] else {
                let known = config.settings.profiles.keys.sorted().joined(separator: ", ")
                throw CommandFailure.usage(
                    "no profile \"\(name)\" in \(config.path)" + (known.isEmpty ? "" : " (profiles: \(known))"))
            }
            if connection.dsn == nil, let dsn = chosen.dsn {
                guard DSNSecrets.passwords(in: dsn).isEmpty else {
                    throw CommandFailure.usage(
                        "profile \"\(name)\" in \(config.path) holds a password: keep it in ~/.pgpass or a "
                            + "service file (PGSERVICEFILE), never in the config")
                }
                settings.dsn = dsn
            }
            if folder == nil { folder = chosen.contracts.map(UserSettings.expandHome) }
        }
        try DashboardSession.run(
            settings: settings,
            contractsFolder: folder ?? config.settings.contracts.map(UserSettings.expandHome)
                ?? "./contracts",
            options: dashboard, hints: [], config: config)
    }
}

/// The config file as read: where from, what it says, what was wrong with it.
struct UserSettings {
    var path: String
    var settings: UserConfig
    var warnings: [String]

    static func defaultPath() -> String {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["CONTRACTWATCH_CONFIG"], !path.isEmpty { return path }
        let base = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (NSHomeDirectory() + "/.config")
        return base + "/contractwatch/config.yaml"
    }

    static func expandHome(_ path: String) -> String { (path as NSString).expandingTildeInPath }

    /// The file named (it must exist), or the default one (absent is fine: no settings).
    static func load(_ named: String?) throws -> UserSettings {
        let path = named ?? defaultPath()
        guard FileManager.default.fileExists(atPath: path) else {
            if named != nil { throw CommandFailure.usage("config \(path): no such file") }
            return UserSettings(path: path, settings: UserConfig(), warnings: [])
        }
        switch ContractFolder.readFile(path, limit: 1 << 20) {
        case .success(let bytes):
            let (settings, warnings) = UserConfig.parse(String(decoding: bytes, as: UTF8.self), file: path)
            return UserSettings(path: path, settings: settings, warnings: warnings)
        case .failure(let unreadable):
            throw CommandFailure.usage("config \(path): \(unreadable.reason)")
        }
    }
}

/// Runs the dashboard until the user quits or a signal arrives, and always restores the terminal.
enum DashboardSession {
    static func run(
        settings: ConnectionSettings, contractsFolder: String, options: DashboardOptions, hints: [String],
        config: UserSettings? = nil
    ) throws {
        let config = try config ?? UserSettings.load(options.config)
        let interval = options.interval ?? config.settings.interval ?? 2
        guard interval >= PollLoop.minimumInterval, interval <= PollLoop.maximumInterval else {
            throw CommandFailure.usage("interval \(interval) in \(config.path) is out of range")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: contractsFolder, isDirectory: &isDirectory), isDirectory.boolValue
        else {
            throw CommandFailure.usage("contracts folder \(contractsFolder): no such folder (use --contracts DIR)")
        }
        let catalog = ThemeCatalog(builtIns: BuiltInThemes.files)
        let noColor = options.noColor || !(ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
        var (theme, warnings) = try resolveTheme(
            options.theme ?? config.settings.theme ?? "default", noColor: noColor, catalog: catalog)
        warnings = config.warnings + warnings
        var keyMap = KeyMap.standard
        warnings += keyMap.apply(overrides: config.settings.keys).map { "\(config.path): \($0)" }
        let log = EventLog()
        for warning in warnings {
            Output.error("contractwatch: warning: \(warning)")
            log.write("warning: \(warning)")
        }
        log.write(
            "dashboard started (contracts \(contractsFolder), interval \(interval)s, theme \(theme.name))")

        let watcher = Watcher(
            Watcher.Configuration(
                settings: settings, contractsFolder: contractsFolder, interval: interval,
                historyDirectory: options.keepHistory ? HistoryStore.defaultDirectory() : nil, debug: options.debug),
            log: log)
        watcher.start()
        defer { watcher.stop() }
        let migrationsFolder = options.migrations ?? config.settings.migrations.map(UserSettings.expandHome)
        var migrationWatcher: MigrationWatcher?
        if let migrationsFolder {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: migrationsFolder, isDirectory: &isFolder), isFolder.boolValue
            else {
                throw CommandFailure.usage("migrations folder \(migrationsFolder): no such folder")
            }
            migrationWatcher = MigrationWatcher(
                MigrationWatcher.Configuration(
                    folder: migrationsFolder, settings: settings, from: options.from,
                    historyInterval: max(interval, 2)),
                checker: watcher)
            migrationWatcher?.start()
            log.write("watching migrations in \(migrationsFolder)")
        }
        defer { migrationWatcher?.stop() }

        let stop = StopSignal.install()
        try MainActor.assumeIsolated {
            let screen: TerminalScreen
            do {
                screen = try TerminalScreen(
                    theme: theme, useColor: !noColor, showCursor: config.settings.showCursor ?? false)
            } catch {
                throw CommandFailure.usage("\(error)")
            }
            defer { screen.end() }
            if screen.colorCount == 0 { screen.setTheme(catalog.monochrome) }
            let mouse = options.mouse || (config.settings.mouse ?? false)
            var model = DashboardModel(
                status: watcher.latest, hints: hints + ["Log: \(log.path)", "Config: \(config.path)"], keyMap: keyMap,
                mouse: mouse, notify: config.settings.notify ?? .off)
            if mouse { screen.setMouse(true) }
            model.showHints = config.settings.showHints ?? true
            model.asciiBorders = config.settings.asciiBorders ?? false
            if !warnings.isEmpty {
                model.setFlash(
                    "settings: \(warnings.count) warning\(plural(warnings.count)), see \(log.path)", isError: true,
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
