"""Full-text search over a plan, the same on SQLite and PostgreSQL: pure Python, no database.

Text is folded (lower case, accents and ligatures removed: «Réseau» → «reseau») and each word
is reduced by a light French stemmer (plurals, feminine and a few verb endings: «formations» →
«formation», «réseaux» → «reseau», «sociales» → «social»).  A query matches a document when
every query word matches one of its words, exactly or as a prefix of at least four letters
(«renov» finds «rénovation»).  Plans hold at most a few thousand nodes: the view loads a plan's
nodes and journal text in one query each and matches here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache

_LIGATURES = {"œ": "oe", "æ": "ae", "ß": "ss", "’": "'"}
_WORD = re.compile(r"[a-z0-9]+")
PREFIX_MIN = 4

# Words too common to narrow a search (dropped from queries unless nothing else is left).
STOPWORDS = frozenset("""
a au aux avec ce ces dans de des du elle en et il ils je la le les leur leurs lui ma mais me
meme mes mon ne nos notre nous ou par pas pour qu que qui sa se ses son sur ta te tes ton tu un
une vos votre vous c d j l m n s t y ete etre est sont the of and to in de het een van
""".split())


@cache
def _marks() -> re.Pattern[str]:
    """The combining marks of the Basic Multilingual Plane, removed in one pass after NFKD
    (built on the first search, not when the module is imported: ~14 ms)."""
    return re.compile("[" + "".join(
        re.escape(chr(c)) for c in range(0x300, 0x10000) if unicodedata.combining(chr(c))) + "]")


def fold(text: str) -> str:
    """Lower case, without accents or ligatures: «Œuvre Sociale» → «oeuvre sociale»."""
    text = str(text or "").casefold()
    if text.isascii():
        return text
    for k, v in _LIGATURES.items():
        text = text.replace(k, v)
    text = unicodedata.normalize("NFKD", text)
    if max(text) > "\uffff":  # beyond the plane: the slow, exact way
        return "".join(ch for ch in text if not unicodedata.combining(ch))
    return _marks().sub("", text)


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """A light French stemmer on a folded word (after J. Savoy's «light» stemmers).

    Both the documents and the queries go through it, so it needs to be consistent rather than
    linguistically exact; it never shortens a word below three letters.
    """
    w = word
    if len(w) <= 3 or w.isdigit():
        return w
    # plurals
    if w.endswith("x") and len(w) > 4:
        w = w[:-3] + "al" if w.endswith("aux") and not w.endswith("eaux") else w[:-1]
    elif w.endswith("s") and not w.endswith("ss") and len(w) > 3:
        w = w[:-1]
    # feminine forms: «sociale» → «social», «active» → «actif», «rénovée» → «rénov»
    if w.endswith("ive") and len(w) > 5:
        w = w[:-3] + "if"
    elif w.endswith("euse") and len(w) > 6:
        w = w[:-4] + "eur"
    elif w.endswith("e") and len(w) > 4:
        w = w[:-2] if w.endswith("ee") and len(w) > 5 else w[:-1]
    # verb and adverb endings: «rénover», «rénovant», «développement», «rapidement»
    for suffix in ("ement", "ant", "er", "ez"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            w = w[: len(w) - len(suffix)]
            break
    # a final double consonant: «nouvell» → «nouvel», «personnell» → «personnel»
    if len(w) > 4 and w[-1] == w[-2] and w[-1] not in "aeiouy":
        w = w[:-1]
    return w if len(w) >= 3 else word


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


@lru_cache(maxsize=16_384)
def terms(text: str) -> frozenset[str]:
    """The stems of a text, for matching (remembered: a plan's texts are searched again and
    again, and only the ones a write changed are new)."""
    return frozenset(stem(w) for w in words(text))


def query_terms(query: str) -> list[str]:
    """The stems a query asks for, stop words dropped (unless the query has nothing else)."""
    ws = words(query)
    kept = [w for w in ws if w not in STOPWORDS] or ws
    out: list[str] = []
    for w in kept:
        s = stem(w)
        if s not in out:
            out.append(s)
    return out


def _term_matches(q: str, doc: set[str], prefixes: dict[str, bool]) -> bool:
    if q in doc:
        return True
    if len(q) < PREFIX_MIN:
        return False
    hit = prefixes.get(q)
    if hit is None:
        hit = prefixes[q] = any(t.startswith(q) for t in doc)
    return hit


@dataclass
class Document:
    """The searchable text of one node, each part folded and stemmed once."""

    key: int
    parts: dict[str, set[str]] = field(default_factory=dict)  # title, description, journal
    raw: dict[str, list[str]] = field(default_factory=dict)

    def add(self, part: str, text: str) -> None:
        if not text:
            return
        self.parts.setdefault(part, set()).update(terms(text))
        self.raw.setdefault(part, []).append(text)


WEIGHTS = {"code": 5, "title": 3, "description": 1, "comment": 1, "journal": 1}


@dataclass
class Hit:
    key: int
    score: int
    where: list[str]  # parts that matched, best first
    snippet: str = ""  # the matching journal text, when the match is there


def search(documents: Iterable[Document], query: str) -> list[Hit]:
    """Documents where every query term matches some part; best scores first."""
    qs = query_terms(query)
    if not qs:
        return []
    hits = []
    for doc in documents:
        everything = set().union(*doc.parts.values()) if doc.parts else set()
        cache: dict[str, bool] = {}
        if not all(_term_matches(q, everything, cache) for q in qs):
            continue
        where, score = [], 0
        for part, stems in doc.parts.items():
            found = sum(1 for q in qs if _term_matches(q, stems, {}))
            if found:
                where.append(part)
                score += found * WEIGHTS.get(part, 1)
        where.sort(key=lambda p: -WEIGHTS.get(p, 1))
        snippet = ""
        if "journal" in where:
            snippet = next((t for t in doc.raw.get("journal", [])
                            if any(_term_matches(q, terms(t), {}) for q in qs)), "")
        hits.append(Hit(doc.key, score, where, snippet))
    hits.sort(key=lambda h: -h.score)  # stable: ties keep the documents' (tree) order
    return hits
