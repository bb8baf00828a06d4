/// The Met Museum demo schema that the shipped `contracts/` describe, embedded in the binary
/// (SwiftPM `embedInCode`), so `demo` and tests work wherever the executable is copied.
public enum DemoDatabase {
    /// The schema and a few sample rows, as one SQL script.
    public static var schemaSQL: String {
        String(decoding: PackageResources.met_museum_sql, as: UTF8.self)
    }

    /// The eight tables of the book's schema diagram plus `object_images_normalized`.
    public static let tables = [
        "object", "object_history", "object_physical_properties", "object_gallery_info",
        "object_tags", "object_images", "object_copyright", "object_api_metadata",
        "object_images_normalized",
    ]
}
