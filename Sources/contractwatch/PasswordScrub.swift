import Foundation
import Postgres

/// A password given in `--dsn` is visible to every local user in `ps` and /proc/PID/cmdline for
/// as long as the process runs. After the arguments are copied for parsing, the password's bytes
/// in the process's own argument area are overwritten with `*` (what `ps` reads), and stderr says
/// once how to pass it more safely.
enum PasswordScrub {
    /// The arguments as given, then scrubs the originals. Call once, before anything else reads them.
    static func argumentsThenScrub() -> [String] {
        let arguments = Array(CommandLine.arguments.dropFirst())
        var scrubbed = false
        let count = Int(CommandLine.argc)
        var index = 1
        while index < count {
            guard let pointer = CommandLine.unsafeArgv[index] else {
                index += 1
                continue
            }
            let argument = String(cString: pointer)
            var dsnStart: Int?
            if argument == "--dsn", index + 1 < count {
                index += 1
                dsnStart = 0
            } else if argument.hasPrefix("--dsn=") {
                dsnStart = "--dsn=".utf8.count
            }
            if let start = dsnStart, let target = CommandLine.unsafeArgv[index] {
                let dsn = String(cString: target + start)
                for password in DSNSecrets.passwords(in: dsn) where overwrite(password, in: target + start) {
                    scrubbed = true
                }
            }
            index += 1
        }
        if scrubbed {
            Output.error(
                "contractwatch: note: a password in --dsn is visible to other local users while it is typed and "
                    + "in your shell history; a ~/.pgpass file, a service file (PGSERVICE) or PGPASSWORD is safer "
                    + "(it was hidden from ps)"
            )
        }
        return arguments
    }

    /// Overwrites every occurrence of `secret`'s bytes in the C string with `*`.
    private static func overwrite(_ secret: String, in text: UnsafeMutablePointer<CChar>) -> Bool {
        let needle = Array(secret.utf8)
        let length = strlen(text)
        guard !needle.isEmpty, needle.count <= length else { return false }
        var found = false
        var offset = 0
        while offset + needle.count <= length {
            let matches = needle.indices.allSatisfy { UInt8(bitPattern: text[offset + $0]) == needle[$0] }
            if matches {
                for position in offset..<(offset + needle.count) {
                    text[position] = CChar(bitPattern: UInt8(ascii: "*"))
                }
                found = true
                offset += needle.count
            } else {
                offset += 1
            }
        }
        return found
    }
}
