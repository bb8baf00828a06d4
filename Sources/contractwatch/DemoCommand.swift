import ArgumentParser
import DemoDatabase
import Foundation
import Postgres
import Reports

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Start a private throwaway PostgreSQL with the Met Museum demo schema and check the shipped contracts."
    )

    @OptionGroup var contractOptions: ContractOptions

    @Option(name: .long, help: "Output format: text, json, junit or markdown.")
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
        let report = try CheckRun.run(settings: ConnectionSettings(dsn: cluster.connectionString()), contractsFolder: contractOptions.contracts)
        Output.write(report.render(format))
        if !report.result.isClean { throw CommandFailure(status: ExitStatus.violations, message: "contracts broken") }
    }
}
