"""The words of the engine's shape readers (:mod:`.sheets`, :mod:`.articles`), per language.

``vocabulary.json`` holds them under ``sheets`` and ``articles``, one set per language
(``{"fr": {...}, "nl": {...}, "en": {...}}``): level names by depth (``levels``) and the words
and patterns each reader documents.  A reader scores a document with every language's words and
reads it with the best one; a case (``cases/<name>.json`` with a ``sheets`` or ``articles``
key) adds its own words on top of every language's (:func:`merge`).
"""

from __future__ import annotations

import copy
from typing import Any

from .mapping import vocabulary


def merge(base: Any, extra: Any) -> Any:
    """``extra`` over ``base``: dicts merged key by key, lists with ``extra``'s entries first
    (tried first: a case's label wins over the default one), anything else replaced."""
    if isinstance(base, dict) and isinstance(extra, dict):
        out = dict(base)
        for key, value in extra.items():
            out[key] = merge(base[key], value) if key in base else copy.deepcopy(value)
        return out
    if isinstance(base, list) and isinstance(extra, list):
        return [*copy.deepcopy(extra), *(x for x in base if x not in extra)]
    return copy.deepcopy(extra)


def reader_words(section: str, case_words: dict[str, Any] | None = None,
                 levels: list[str] | None = None) -> list[tuple[str, list[str], dict[str, Any]]]:
    """``(language, levels, words)`` for each language of ``vocabulary.json[section]``, the
    case's words (and level names, when it gives them) over each."""
    out = []
    for language, words in vocabulary()[section].items():
        if language.startswith("_"):
            continue
        words = copy.deepcopy(words)
        default_levels = words.pop("levels")
        if case_words:
            words = merge(words, case_words)
        out.append((language, list(levels or default_levels), words))
    return out


def vocabularies(section: str, make: Any, name: str, case: Any = None) -> Any:
    """A reader's compiled words, one ``make(name, levels, words, language)`` per language: the
    defaults of ``vocabulary.json[section]`` (a tuple), or with ``case`` (a
    :class:`jalon.ingest.cases.Case`) the case's words over them, compiled once per case."""
    if case is None:
        return tuple(make(name, levels, words, lang)
                     for lang, levels, words in reader_words(section))
    return case.compiled(section, lambda c: [
        make(c.name, levels, words, lang)
        for lang, levels, words in reader_words(section, c.data[section], c.levels)])


__all__ = ["merge", "reader_words", "vocabularies"]
