public import Foundation

/// A `.safetensors` file: an 8-byte little-endian header length, a JSON header mapping each tensor
/// name to its dtype, shape and byte range, then the raw little-endian tensor data
/// (format: huggingface/safetensors, README "Format").
///
/// The file is memory-mapped; tensors are converted to `Float` only when asked for.
public struct SafetensorsFile: Sendable {
    /// One entry of the header.
    public struct TensorInfo: Sendable, Hashable {
        public var dtype: DType
        public var shape: [Int]
        /// Byte range relative to the start of the data region.
        public var byteRange: Range<Int>
        public var elementCount: Int { shape.reduce(1, *) }
    }

    /// The element types of the format; `F32`, `F16` and `BF16` convert to `Float`, the others
    /// (such as the `I64` position-id buffers PyTorch checkpoints carry) are only described.
    public enum DType: String, Sendable, Hashable, CaseIterable {
        case f64 = "F64", f32 = "F32", f16 = "F16", bf16 = "BF16"
        case i64 = "I64", i32 = "I32", i16 = "I16", i8 = "I8"
        case u64 = "U64", u32 = "U32", u16 = "U16", u8 = "U8", bool = "BOOL"
        case f8e5m2 = "F8_E5M2", f8e4m3 = "F8_E4M3"

        var byteWidth: Int {
            switch self {
            case .f64, .i64, .u64: 8
            case .f32, .i32, .u32: 4
            case .f16, .bf16, .i16, .u16: 2
            case .i8, .u8, .bool, .f8e5m2, .f8e4m3: 1
            }
        }
    }

    public let path: String
    public let tensors: [String: TensorInfo]
    /// The `__metadata__` entry, string to string.
    public let metadata: [String: String]
    private let data: Data
    private let dataStart: Int

    public init(contentsOf url: URL) throws(ModelError) {
        let path = url.path
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            throw ModelError(.fileUnreadable, "cannot read the safetensors file", path: path, underlying: error)
        }
        try self.init(data: data, path: path)
    }

    /// Parses `data` as a safetensors file; `path` only names it in errors.
    public init(data: Data, path: String = "<memory>") throws(ModelError) {
        func invalid(_ message: String) -> ModelError { ModelError(.invalidSafetensors, message, path: path) }
        guard data.count >= 8 else { throw invalid("shorter than the 8-byte header length") }
        var headerLength: UInt64 = 0
        for index in 0..<8 { headerLength |= UInt64(data[data.startIndex + index]) << (8 * UInt64(index)) }
        guard headerLength <= UInt64(data.count - 8) else {
            throw invalid("header length \(headerLength) runs past the end of the \(data.count)-byte file")
        }
        let headerStart = data.startIndex + 8
        let dataStart = headerStart + Int(headerLength)
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: data[headerStart..<dataStart])
        } catch {
            throw ModelError(.invalidSafetensors, "the header is not JSON", path: path, underlying: error)
        }
        guard let header = json as? [String: Any] else { throw invalid("the header is not a JSON object") }
        let dataLength = data.endIndex - dataStart
        var tensors: [String: TensorInfo] = [:]
        var metadata: [String: String] = [:]
        for (name, value) in header {
            if name == "__metadata__" {
                metadata = (value as? [String: String]) ?? [:]
                continue
            }
            guard let entry = value as? [String: Any], let dtypeName = entry["dtype"] as? String,
                let shape = (entry["shape"] as? [NSNumber])?.map(\.intValue),
                let offsets = (entry["data_offsets"] as? [NSNumber])?.map(\.intValue), offsets.count == 2
            else { throw invalid("tensor '\(name)' lacks dtype, shape or data_offsets") }
            guard let dtype = DType(rawValue: dtypeName) else {
                throw invalid("tensor '\(name)' has the unknown dtype \(dtypeName)")
            }
            guard shape.allSatisfy({ $0 >= 0 }), offsets[0] >= 0, offsets[0] <= offsets[1], offsets[1] <= dataLength
            else { throw invalid("tensor '\(name)' has shape \(shape) or offsets \(offsets) outside the data") }
            let info = TensorInfo(dtype: dtype, shape: shape, byteRange: offsets[0]..<offsets[1])
            guard info.elementCount * dtype.byteWidth == info.byteRange.count else {
                throw invalid(
                    "tensor '\(name)': shape \(shape) of \(dtypeName) needs "
                        + "\(info.elementCount * dtype.byteWidth) bytes, offsets give \(info.byteRange.count)")
            }
            tensors[name] = info
        }
        self.path = path
        self.tensors = tensors
        self.metadata = metadata
        self.data = data
        self.dataStart = dataStart
    }

    /// The tensor `name` converted to `Float`, row-major; when `shape` is given, the stored shape
    /// must equal it.
    public func floats(_ name: String, shape expected: [Int]? = nil) throws(ModelError) -> [Float] {
        guard let info = tensors[name] else {
            throw ModelError(.tensorMismatch, "tensor '\(name)' is not in the file", path: path)
        }
        if let expected, expected != info.shape {
            throw ModelError(
                .tensorMismatch, "tensor '\(name)' has shape \(info.shape), the configuration needs \(expected)",
                path: path)
        }
        guard [.f32, .f16, .bf16].contains(info.dtype) else {
            throw ModelError(
                .tensorMismatch, "tensor '\(name)' is \(info.dtype.rawValue); only F32, F16 and BF16 convert to Float",
                path: path)
        }
        let count = info.elementCount
        let start = dataStart + info.byteRange.lowerBound
        return data[start..<(start + info.byteRange.count)].withUnsafeBytes { raw -> [Float] in
            switch info.dtype {
            case .f32:
                return (0..<count).map {
                    Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self)))
                }
            case .f16:
                return (0..<count).map {
                    Self.floatFromHalf(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 2, as: UInt16.self)))
                }
            case .bf16:
                return (0..<count).map {
                    Float(
                        bitPattern: UInt32(
                            UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 2, as: UInt16.self))) << 16)
                }
            default:
                return []
            }
        }
    }

    /// IEEE 754 binary16 to binary32, written out because `Float16` is unavailable on macOS x86_64.
    static func floatFromHalf(_ bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = UInt32(bits >> 10) & 0x1F
        var mantissa = UInt32(bits & 0x3FF)
        if exponent == 0x1F { return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13)) }
        if exponent != 0 { return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13)) }
        if mantissa == 0 { return Float(bitPattern: sign) }
        // Subnormal half: normalise the mantissa into a binary32 exponent.
        var shifted: UInt32 = 0
        while mantissa & 0x400 == 0 {
            mantissa <<= 1
            shifted += 1
        }
        mantissa &= 0x3FF
        return Float(bitPattern: sign | ((113 - shifted) << 23) | (mantissa << 13))
    }
}
