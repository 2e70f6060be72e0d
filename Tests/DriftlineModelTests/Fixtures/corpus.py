"""The varied strings the tokenizer fixtures are made from (shared by the fixture scripts)."""
import random

BASE = [
    "Hello, world!",
    "The quick brown fox jumps over the lazy dog.",
    "  leading and trailing spaces  ",
    "tabs\tand\nnewlines\r\nmixed   with    runs of spaces",
    "Café au lait, naïve résumé, façade, Ångström, smörgåsbord.",
    "ÀÉÎÕÜ àéîõü ÇçÑñ ßẞ Œœ Ææ Øø",
    "Crème brûlée costs €12.50 (or £10).",
    "e\u0301 combining acute vs precomposed \u00e9",
    "北京是中国的首都。",
    "日本語のテキスト、カタカナとひらがな。",
    "한국어 문장도 있습니다.",
    "混合 English and 中文 text 123.",
    "Emoji: 😀🚀👍🏽 and family 👨\u200d👩\u200d👧\u200d👦!",
    "Flags 🇫🇷🇯🇵 and hearts ❤️💔",
    "Punctuation!!! ??? ... --- ;;; ::: ''' \"\"\" ```",
    "Symbols $ + < = > ^ ` | ~ # % & * @ \\ / _",
    "Quotes “curly” ‘single’ «guillemets» „low“",
    "Dashes – en — em ‐ hyphen ‒ figure",
    "It's, they're, we've, I'm, you'll, he'd, can't, won't.",
    "IT'S UPPER CASE CONTRACTIONS'RE ODD'VE",
    "Numbers: 3.14159, 1,000,000, 42nd, 1e-9, 0x1F, ½ ¾ ² ³",
    "Roman numerals Ⅻ and circled ① ② ③",
    "pneumonoultramicroscopicsilicovolcanoconiosis",
    "supercalifragilisticexpialidocious antidisestablishmentarianism",
    "a" * 99,
    "b" * 100,
    "c" * 101,
    "x" * 250,
    "URL https://example.com/path?query=1&other=two#frag",
    "email someone@example.org, handle @driftline, tag #observability",
    "snake_case_identifier camelCaseIdentifier kebab-case-identifier",
    "C++ and C# and F# are languages; so is Objective-C.",
    "Ελληνικά: Καλημέρα κόσμε, ΟΔΥΣΣΕΥΣ",
    "Русский текст: Привет, мир! ЁЖИК",
    "العربية: مرحبا بالعالم",
    "עברית: שלום עולם",
    "हिन्दी: नमस्ते दुनिया",
    "ไทย: สวัสดีชาวโลก",
    "Tiếng Việt: Xin chào thế giới",
    "Türkçe: İstanbul, ıĞüŞöÇ",
    "Zero\u200bwidth\u200cjoiners\u200dhere",
    "Soft\u00adhyphen and no\u00a0break space",
    "Control\u0007bell and \u0000nul and \ufffdreplacement",
    "Private use \ue000 and unassigned \U000e0001 tag",
    "Math: ∀x ∈ ℝ, ∃y: x² + y² ≤ 1 ⇒ √(x·y) ≥ 0",
    "Currency: $5, ¥500, ₹100, ₿0.01, ₩1000",
    "Fullwidth ＡＢＣ１２３！",
    "Ligatures ﬁ ﬂ ﬀ and ㎏ ㎡ ℃",
    "Mixed1234numbers5678in9words",
    "don't stop believin' — 'quoted' 'word'",
    "''''s 'S 'T 'LL 'll'll",
    "   ",
    "",
    "\n\n\n",
    "a\n b\n  c\n   d",
    "end with space ",
    "end with newline\n",
    " ",
    "!",
    "Multiple\u3000ideographic\u3000spaces",
    "The model hallucinated that the Eiffel Tower is in Rome in 1889.",
    "According to the context, revenue grew 12% to $4.5 billion in Q3 2023.",
    "The patient was prescribed 500mg of amoxicillin twice daily.",
    "She said: \"I never said that!\" — or did she?",
    "[bracketed] {braced} (parenthesised) <angled>",
    "Ünïcödé wörds wïth düäcrïtïcs everywhere",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝕞𝕒𝕥𝕙 𝒮𝒸𝓇𝒾𝓅𝓉",
    "Surrogate-range emoji 🧪🧬🦀 in a row",
    "CJK extension 𠀀𠀁 and compatibility 丽",
    "Japanese long vowel ー and iteration mark 々",
]

PAIRS_EXTRA = [
    ("What is the capital of France?", "Paris is the capital and most populous city of France."),
    ("The cat sat on the mat.", "A cat was sitting on a mat."),
    ("Revenue grew 12% in 2023.", "In 2023, revenue declined by 12%."),
]


def corpus(total=200, seed=12):
    """BASE plus derived strings (case changes, joins, random mixes), `total` in all."""
    rng = random.Random(seed)
    texts = list(BASE)
    pieces = [t for t in BASE if t.strip()]
    while len(texts) < total:
        kind = len(texts) % 4
        if kind == 0:
            texts.append(rng.choice(pieces).upper())
        elif kind == 1:
            texts.append(" ".join(rng.sample(pieces, 2)))
        elif kind == 2:
            words = " ".join(pieces).split()
            texts.append(" ".join(rng.choice(words) for _ in range(rng.randint(3, 30))))
        else:
            alphabet = "abcdeéüß中😀1 2,.'-\t"
            texts.append("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 60))))
    return texts[:total]


def pairs(texts, count=40, seed=7):
    rng = random.Random(seed)
    result = list(PAIRS_EXTRA)
    while len(result) < count:
        result.append((rng.choice(texts), rng.choice(texts)))
    return result
