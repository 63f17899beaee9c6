"""The statistical part: a small spaCy person-name model trained by scripts/train_ner.py.

The model ships inside the package (``redactor/models/ner_zh_per``): ``spacy.blank("zh")``
with spaCy's *character* segmenter and one ``ner`` component (label PER). Why characters:
they need no model download (pkuseg does), they never merge a name with its neighbours
(jieba cuts 村民张三向 or 鹿城镇 in ways that do not line up with entity edges), and they
are the fastest segmenter. The model is loaded lazily, once per process (``load()``).
"""
from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

MODEL_NAME = "ner_zh_per"
_LOCK = threading.Lock()


def model_path() -> Path:
    return Path(__file__).resolve().parent.parent / "models" / MODEL_NAME


@lru_cache(maxsize=1)
def load():  # -> spacy.Language
    """Load the shipped model (about 0.5 s the first time, cached afterwards)."""
    with _LOCK:
        import spacy

        path = model_path()
        if not (path / "config.cfg").is_file():
            from ..errors import RedactorError

            raise RedactorError(f"[E310] the name model is missing from the package ({path})")
        return spacy.load(path)


@lru_cache(maxsize=1)
def available() -> bool:
    return (model_path() / "config.cfg").is_file()


def predict(texts: Sequence[str], batch_size: int = 128) -> list[list[tuple[int, int]]]:
    """Person spans (character offsets, end exclusive) for each text, batched with nlp.pipe."""
    if not texts:
        return []
    from spacy.tokens import Doc

    nlp = load()
    out: list[list[tuple[int, int]]] = []
    # One token per character, built directly: the tokens spaCy's char segmenter makes,
    # without its per-call overhead.
    docs = (Doc(nlp.vocab, words=w, spaces=sp) for w, sp in map(char_tokens, texts))
    for doc in nlp.pipe(docs, batch_size=batch_size):
        out.append([(e.start_char, e.end_char) for e in doc.ents if e.label_ == "PER"])
    return out


def char_tokens(text: str) -> tuple[list[str], list[bool]]:
    """Words and trailing-space flags as spaCy's char segmenter makes them: every character is
    a token, except that one space after a token becomes that token's trailing whitespace and
    a run of whitespace after a whitespace token joins it."""
    words: list[str] = []
    spaces: list[bool] = []
    for ch in text:
        if ch == " " and words and not spaces[-1] and not words[-1].isspace():
            spaces[-1] = True
        elif ch.isspace() and words and words[-1].isspace() and not spaces[-1]:
            words[-1] += ch
        else:
            words.append(ch)
            spaces.append(False)
    return words, spaces
