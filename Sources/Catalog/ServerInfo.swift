/// Where a session is connected (never a password): a plain value, so the screens and reports
/// need no database library.
public struct ServerInfo: Sendable, Equatable, Hashable {
    public var database: String
    public var user: String
    /// Host name, IP address or unix-socket directory.
    public var host: String
    public var port: String
    public var serverVersion: String

    public init(database: String, user: String, host: String, port: String, serverVersion: String) {
        self.database = database
        self.user = user
        self.host = host
        self.port = port
        self.serverVersion = serverVersion
    }

    /// `user@host:port/database`; socket directories are shown as `local`.
    public var target: String {
        let place = host.hasPrefix("/") ? "local" : host
        return "\(user)@\(place):\(port)/\(database)"
    }
}
