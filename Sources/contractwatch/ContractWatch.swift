import ArgumentParser
import ContractFiles
import Contracts
import Postgres
import Reports

struct ContractWatch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contractwatch",
        abstract: "Watch a live PostgreSQL catalog against a folder of data contracts.",
        discussion: """
            Exit codes: 0 all contracts hold, 1 breaking violations (any with --fail-on warning) or \
            contract errors, 2 usage error, 3 could not check (database unreachable, login refused, timeout).
            """,
        version: CheckReport.toolVersion,
        subcommands: [
            WatchCommand.self, CheckCommand.self, DemoCommand.self, LintCommand.self, InitCommand.self,
            OwnersCommand.self, PreviewCommand.self, DiffCommand.self, ConfigCommand.self,
        ],
        defaultSubcommand: WatchCommand.self
    )
}

/// Options shared by every command that talks to a database.
struct ConnectionOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Connection string or URI (e.g. \"host=db dbname=app\" or postgresql://user@host/db); default: "
                + "libpq's PG* variables, ~/.pgpass, service file.",
            valueName: "DSN"))
    var dsn: String?

    @Option(
        name: .customLong("connect-timeout"),
        help: ArgumentHelp("Seconds to wait for the server.", valueName: "SECONDS"))
    var connectTimeout: Int = 5

    @Option(
        name: .customLong("statement-timeout"),
        help: ArgumentHelp("Milliseconds a catalog query may run.", valueName: "MS"))
    var statementTimeout: Int = 30_000

    /// The session these options describe (read-only unless a command must write, like preview).
    func settings(readOnly: Bool = true) -> ConnectionSettings {
        ConnectionSettings(
            dsn: dsn, readOnly: readOnly, connectTimeoutSeconds: connectTimeout,
            statementTimeoutMilliseconds: statementTimeout)
    }

    func validate() throws {
        guard connectTimeout >= 1 else { throw ValidationError("--connect-timeout must be at least 1 second") }
        guard statementTimeout >= 100 else { throw ValidationError("--statement-timeout must be at least 100 ms") }
        // A DSN that cannot parse is a usage error, before anything starts (the dashboard used
        // to retry it forever).
        do {
            try Connection.validate(dsn: dsn)
        } catch {
            throw ValidationError("--dsn: \(error.message)")
        }
    }
}

struct ContractOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Folder of contract files.", valueName: "DIR"))
    var contracts: String = "./contracts"

    /// The folder's contracts; a missing or unreadable folder is a usage error.
    func load() throws -> ContractSet {
        do { return try ContractFolder.load(contracts) } catch { throw CommandFailure.usage(error.description) }
    }
}
