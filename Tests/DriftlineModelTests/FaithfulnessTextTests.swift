import DriftlineModel
import Testing

/// Sentence splitting, lexical grounding and the evaluation file format.
@Suite struct FaithfulnessTextTests {
    @Test func splitsSentencesButNotAbbreviationsOrInitials() {
        #expect(
            SentenceSplitter.sentences(
                "Mr. Smith went to Washington D.C. on Monday. He said: \"It rained!\" Then\nhe left")
                == ["Mr. Smith went to Washington D.C. on Monday.", "He said: \"It rained!\"", "Then", "he left"])
        #expect(
            SentenceSplitter.sentences("price rose 3.5 % . sales fell .") == ["price rose 3.5 % .", "sales fell ."])
        #expect(SentenceSplitter.sentences(" ... \n !") == [])
    }

    @Test func lexicalGroundingFindsUnsupportedNumbersAndNames() {
        let grounding = LexicalGrounding(
            response: "The firm hired three people in Paris and paid 1,200 euros. Anna Berg left in 2019.",
            context: "The company, based in Paris, hired 3 engineers and paid them 1200 euros each.")
        #expect(grounding.unsupportedNumbers == ["2019"])
        #expect(grounding.unsupportedNames == ["Berg"])  // "Anna" starts its sentence: not counted as a name
        // Content words: firm hired three people paris paid 1200 euros anna berg left 2019 → supported:
        // hired three paris paid 1200 euros = 6 of 12.
        #expect(abs(grounding.contentOverlap - 0.5) < 1e-12)
    }

    @Test func badEvaluationRowsNameTheLineAndField() {
        func error(_ text: String) -> String? {
            do {
                _ = try FaithfulnessEvaluationSet(jsonLines: text)
                return nil
            } catch { return error.description }
        }
        let good = #"{"id": "a", "doc": "The sky is blue.", "claim": "The sky is blue.", "label": 1, "source": "x"}"#
        #expect(error(good + "\n\n" + #"{"id": 2, "doc": "d", "claim": "c", "label": 0}"#) == nil)
        #expect(error(good + "\n{not json") == "line 2: not valid JSON")
        #expect(error(#"{"id": "a", "doc": "x", "label": 1}"#) == "line 1, field 'claim': missing")
        #expect(
            error(#"{"id": "a", "doc": "x", "claim": "y", "label": 2}"#)
                == "line 1, field 'label': expected 1 (supported) or 0")
        #expect(error(#"{"id": "a", "doc": 5, "claim": "y", "label": 1}"#) == "line 1, field 'doc': expected a string")
        #expect(error(#"{"doc": "x", "claim": "y", "label": 1}"#) == "line 1, field 'id': missing")
        #expect(error(#"[1, 2]"#) == "line 1: not a JSON object")
    }
}
