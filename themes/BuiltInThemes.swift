// The YAML files in this folder are the built-in themes. This file makes the folder a small
// SwiftPM target that embeds them in the binary (`embedInCode`), so `--theme light` works
// wherever the executable is copied, and the YAML stays the one source of truth.

public enum BuiltInThemes {
    /// Theme name → YAML text.
    public static let files: [String: String] = [
        "default": String(decoding: PackageResources.default_yaml, as: UTF8.self),
        "light": String(decoding: PackageResources.light_yaml, as: UTF8.self),
        "high-contrast": String(decoding: PackageResources.high_contrast_yaml, as: UTF8.self),
        "monochrome": String(decoding: PackageResources.monochrome_yaml, as: UTF8.self),
    ]

    public static var names: [String] { files.keys.sorted() }
}
