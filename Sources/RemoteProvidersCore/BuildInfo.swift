/// The tool's version, as `blueprint-remote version` and the User-Agent report it.
public enum BuildInfo {
    public static let version = "0.1.0"
}
