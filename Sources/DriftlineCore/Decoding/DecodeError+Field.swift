extension DecodeError {
    /// Attaches the field being parsed to a syntax error raised below it.
    func inField(_ name: String?) -> DecodeError {
        guard field == nil, let name else { return self }
        var copy = self
        copy.field = name
        return copy
    }
}
