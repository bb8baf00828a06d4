import ArgumentParser
import Foundation

// Exit codes (README.md, "Exit codes"): 0 clean, 1 violations or contract errors, 2 usage, 3 could not check.
// ArgumentParser's own usage errors exit 64; we map them to 2 so CI scripts see one convention.
do {
    var command = try ContractWatch.parseAsRoot(PasswordScrub.argumentsThenScrub())
    try command.run()
    exit(ExitStatus.clean)
} catch let failure as CommandFailure {
    Output.error("contractwatch: \(failure.message)")
    exit(failure.status)
} catch {
    let code = ContractWatch.exitCode(for: error)
    if code == .success {
        ContractWatch.exit(withError: error) // --help, --version
    }
    Output.error(ContractWatch.fullMessage(for: error))
    exit(code == .validationFailure || code.rawValue == 64 ? ExitStatus.usage : code.rawValue)
}
