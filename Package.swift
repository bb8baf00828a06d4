// swift-tools-version: 6.0
import PackageDescription

// Module split (docs/ARCHITECTURE.md): pure modules (Contracts, Catalog, Checks, Reports) never touch I/O;
// only `Postgres` calls libpq and only `Terminal` calls ncurses; the executable only wires.
let package = Package(
    name: "contractwatch",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "contractwatch", targets: ["contractwatch"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // YAML for ODCS contracts, owners.yaml and themes (read through Contracts' bounded reader).
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // System libraries. Each has a shim header; see the header for why each shim exists.
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        // No pkgConfig here on purpose: ncursesw's .pc only adds -D flags, which SwiftPM drops
        // with a warning (the shim defines what matters); curses.h is on the default include path.
        // Debian package: libncursesw5-dev (installed by scripts/install-packages.sh).
        .systemLibrary(name: "CNCursesW"),

        // The only libpq user: connections, queries, errors, throwaway local clusters.
        .target(name: "Postgres", dependencies: ["CLibPQ", "Catalog"]),
        // Contract model and loaders (pure: parses bytes handed to it, plus a folder walker).
        // (Catalog for the information_schema vocabulary both sides of a check share.)
        .target(name: "Contracts", dependencies: ["Catalog", .product(name: "Yams", package: "Yams")]),
        // Reads contract files from disk and hands the bytes to `Contracts`.
        .target(name: "ContractFiles", dependencies: ["Contracts"]),
        // Catalog snapshot model (pure).
        .target(name: "Catalog"),
        // Reads a CatalogSnapshot from pg_catalog through `Postgres`.
        .target(name: "CatalogReader", dependencies: ["Catalog", "Postgres"]),
        // Pure: writes contracts for live tables (`contractwatch init`).
        .target(name: "Authoring", dependencies: ["Contracts", "Catalog"]),
        // Pure: migration scripts for `preview` (statement splitting, what cannot be previewed).
        .target(name: "Preview", dependencies: ["Catalog", "Checks"]),
        // Pure: contracts × snapshot → findings.
        .target(name: "Checks", dependencies: ["Contracts", "Catalog"]),
        // Pure: what the background checker decides and publishes (the poll state machine, the
        // published status, violation history); the screens read it without a database library.
        .target(name: "WatchModel", dependencies: ["Catalog", "Checks", "Contracts", "Preview"]),
        // The background checker's driver: DispatchSourceTimer, queue, libpq, files.
        .target(
            name: "Watch",
            dependencies: [
                "WatchModel", "Postgres", "Catalog", "CatalogReader", "Checks", "Contracts", "ContractFiles", "Preview",
            ]),
        // The built-in themes: the YAML files of `themes/`, embedded in the binary.
        .target(
            name: "BuiltInThemes",
            path: "themes",
            resources: [
                .embedInCode("default.yaml"), .embedInCode("light.yaml"),
                .embedInCode("high-contrast.yaml"), .embedInCode("monochrome.yaml"),
            ]
        ),
        // Pure UI: screens, layout, key map, filter/sort, themes; draws on a `Canvas`.
        .target(
            name: "Dashboard",
            dependencies: ["Checks", "Catalog", "Contracts", "Preview", "WatchModel"]
        ),
        // The only ncurses user: terminal lifecycle, keys, drawing frames, colours.
        // The UI loop and signal handling live here too; it reads the checker through WatchModel.
        .target(name: "Terminal", dependencies: ["CNCursesW", "Dashboard", "WatchModel"]),
        // Pure: findings → text, JSON, JUnit, Markdown.
        .target(name: "Reports", dependencies: ["Checks", "Contracts", "Catalog", "Preview"]),
        // The Met Museum demo schema, embedded in the binary so `check` and `demo` can load it.
        .target(name: "DemoDatabase", resources: [.embedInCode("met_museum.sql")]),

        .executableTarget(
            name: "contractwatch",
            dependencies: [
                "Postgres", "Contracts", "ContractFiles", "Catalog", "CatalogReader", "Checks", "Reports",
                "DemoDatabase", "Watch", "WatchModel", "Dashboard", "Terminal", "BuiltInThemes", "Authoring", "Preview",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // Timings as ratios against a floor measured in the same run (never in tests).
        .executableTarget(
            name: "contractwatch-bench",
            dependencies: [
                "Dashboard", "Watch", "WatchModel", "Checks", "Catalog", "Contracts", "CatalogReader", "Postgres",
                "ContractFiles", "Authoring", "Reports",
            ]),

        .testTarget(name: "ContractsTests", dependencies: ["Contracts"]),
        .testTarget(name: "WatchTests", dependencies: ["Watch", "WatchModel", "Catalog", "Checks", "Preview"]),
        .testTarget(name: "PreviewTests", dependencies: ["Preview", "Checks"]),
        // The house rules no compiler checks (line length, comments, the module import table).
        .testTarget(name: "HouseRulesTests"),
        .testTarget(
            name: "DashboardTests",
            dependencies: [
                "Dashboard", "Terminal", "WatchModel", "Checks", "Catalog", "Contracts", "BuiltInThemes", "Preview",
            ],
            exclude: ["Snapshots"]
        ),
        .testTarget(
            name: "ChecksTests", dependencies: ["Checks", "Contracts", "Catalog", "Reports"], exclude: ["Snapshots"]),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "Postgres", "Catalog", "CatalogReader", "Checks", "Contracts", "ContractFiles", "Reports",
                "DemoDatabase", "Watch", "WatchModel", "Authoring", "Preview", "Dashboard",
            ],
            exclude: ["Fixtures", "Snapshots"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
