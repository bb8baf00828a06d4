import ArgumentParser
import DemoDatabase
import Foundation
import Postgres
import Reports

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Start a private throwaway PostgreSQL with the Met Museum demo schema and open the dashboard on it.",
        discussion: """
            The server runs from a temp folder on a unix socket only (no TCP port), as the postgres \
            user when run as root. It is stopped and its folder removed when the demo ends, however \
            it ends. Press ? in the dashboard for the psql command to try a migration.
            """
    )

    @OptionGroup var contractOptions: ContractOptions
    @OptionGroup var dashboard: DashboardOptions

    @Flag(name: .long, help: "Check once and print a report instead of opening the dashboard.")
    var check = false

    @Option(name: .long, help: "Report format with --check: text, json, junit, markdown, github, sarif or gitlab.")
    var format: CheckReport.Format = .text

    func run() throws {
        Output.error("contractwatch demo: starting a private PostgreSQL (unix socket only)…")
        let cluster: LocalCluster
        do {
            cluster = try LocalCluster.start()
            try cluster.execute(DemoDatabase.schemaSQL, in: "postgres")
        } catch {
            throw CommandFailure.couldNotCheck(error.description)
        }
        defer { cluster.stop() }
        let settings = ConnectionSettings(dsn: cluster.connectionString())
        if check {
            let report = try CheckRun.run(settings: settings, contracts: contractOptions.load())
            Output.write(report.render(format))
            // The same rule as `check` (breaking violations or contract errors fail).
            if FailOn.error.fails(report.result) {
                throw CommandFailure(status: ExitStatus.violations, message: "contracts broken")
            }
            return
        }
        Output.error("contractwatch demo: try a migration from another terminal with:\n  \(cluster.psqlCommand())")
        let hints = [
            "Demo database (stopped and removed when you quit). Try a migration from another terminal:",
            "  " + cluster.psqlCommand(),
            "  ALTER TABLE object_images RENAME COLUMN primary_image TO image;",
            "  ALTER TABLE object_images DROP COLUMN additional_images;",
        ]
        var options = dashboard
        options.keepHistory = false // the database is thrown away with the demo
        // The shipped examples (one safe, one that breaks a contract) on the Migrations screen.
        if options.migrations == nil, FileManager.default.fileExists(atPath: "migrations") {
            options.migrations = "migrations"
        }
        try DashboardSession.run(
            settings: settings, contractsFolder: contractOptions.contracts, options: options, hints: hints)
    }
}
