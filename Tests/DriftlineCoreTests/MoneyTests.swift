import Testing

@testable import DriftlineCore

@Suite struct MoneyTests {
    @Test(arguments: [
        ("1.25e-07", "0.000000125"), ("2.5", "2.5"), ("0.000001", "0.000001"), ("3E-7", "0.0000003"),
        ("5.0000000000000004E-8", "0.000000050000000000000004"), ("10", "10"), ("0", "0"), ("1e2", "100"),
        ("0.10", "0.1"), ("-1.5", "-1.5"),
    ])
    func parsesDecimalTextExactly(text: String, expected: String) throws {
        #expect(try Money(decimal: text).description == expected)
    }

    @Test(arguments: ["", "abc", "1.2.3", "1e", "1e-30", "1.0000000000000000000000001", "e5", "1x"])
    func rejectsWhatItCannotHoldExactly(text: String) {
        #expect(throws: MoneyError.self) { try Money(decimal: text) }
    }

    @Test func perMillionDividesExactlyOrFails() throws {
        #expect(try Money(decimal: "0.125", per: 1_000_000) == Money(decimal: "1.25e-07"))
        #expect(try Money(decimal: "2.50", per: 1_000_000).description == "0.0000025")
        #expect(throws: MoneyError.self) { try Money(decimal: "0.0000000000000000001", per: 1_000_000) }
    }

    @Test func postgresTextHasAllPlaces() throws {
        #expect(try Money(decimal: "1.5").decimalString == "1.500000000000000000000000")
        #expect(try Money(decimal: "-0.000000000000000000000001").decimalString == "-0.000000000000000000000001")
    }

    /// 0.1 + 0.2 is the classic binary floating-point failure; here it is exact.
    @Test func additionIsExact() throws {
        let sum = try Money(decimal: "0.1") + Money(decimal: "0.2")
        #expect(sum == (try Money(decimal: "0.3")))
        #expect(try Money(decimal: "1.25e-07").times(1_000_000) == Money(decimal: "0.125"))
    }
}
