"""What the running text of a plan says about the plan and its units.

* :func:`title_and_period`: the first short line naming a plan (``Plan stratégique``), with the
  period it prints or the one on the next line (``2024-2029``);
* :func:`kind_of`: the plan's kind from words of its title;
* :func:`own_acronym`: the body's acronym, the one it prints often and speaks of as itself
  (``l'IRPAS``, ``het OCMW``);
* :func:`announced_list`: a numbered list right after a sentence announcing it (``… trois
  axes :`` then ``1. …``, ``2. …``);
* :func:`labelled_paragraphs`: paragraphs opened by a label alone on its line (``Mission :``,
  ``Visie :``) as fields;
* :func:`describe`: the first four on a draft.

The words come from the caller (a case's data).  Pure Python.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable

from .numbering import TOC_LINE
from .pivotrows import YEAR, Ln, fold, squash

_PERIOD = re.compile(rf"\b({YEAR})\s*[-–/]\s*({YEAR})\b")
_ACRONYM = re.compile(r"\b[A-Z]{3,8}\b")
_LIST_ITEM = re.compile(r"^\s*(\d{1,2})[.)]\s+(\S.*)$")


def title_and_period(texts: list[str], title_words: re.Pattern[str]
                     ) -> tuple[str, int | None, int | None]:
    """(title, first year, last year) from the first 80 non-blank ``texts``."""
    for n, text in enumerate(texts[:80]):
        if title_words.search(text) and len(text) < 90 and not TOC_LINE.search(text):
            title = text
            period = _PERIOD.search(text)
            if not period and n + 1 < len(texts) and _PERIOD.fullmatch(texts[n + 1]):
                period = _PERIOD.search(texts[n + 1])
                title = f"{text} {texts[n + 1]}"
            if period:
                return squash(title), int(period.group(1)), int(period.group(2))
            return squash(title), None, None
    return "", None, None


def kind_of(title: str, kinds: list[list[str]], default: str = "other") -> str:
    """The first kind whose word (folded) is in the folded title: ``[["pst", "transversal"]]``."""
    folded = fold(title)
    return next((kind for kind, word in kinds if word in folded), default)


def own_acronym(texts: Iterable[str], self_name: re.Pattern[str],
                skip: Callable[[str], bool] = lambda t: False, least: int = 5) -> str:
    """The most printed acronym (at least ``least`` times, lines ``skip`` ignored) that the text
    also names as itself (``self_name`` has the acronym as group 1)."""
    texts = list(texts)
    acronyms = Counter(a for t in texts for a in _ACRONYM.findall(t) if not skip(t))
    named = {m.group(1) for t in texts for m in self_name.finditer(t)}
    for name, count in acronyms.most_common():
        if count >= least and name in named:
            return name
    return ""


def announced_list(texts: list[str], announce: re.Pattern[str],
                   is_heading: Callable[[str], bool]) -> list[str]:
    """A numbered list (1. … 2. …) right after a sentence that ``announce`` matches."""
    for n, text in enumerate(texts):
        if not announce.search(text) or is_heading(text):
            continue
        items: list[str] = []
        lead_in = 0
        for nxt in texts[n + 1:n + 30]:
            if not nxt.strip():
                continue
            m = _LIST_ITEM.match(nxt)
            if m and int(m.group(1)) == len(items) + 1:
                items.append(m.group(2).strip())
            elif items and not m and nxt.strip()[:1].islower():
                items[-1] += " " + nxt.strip()
            elif not items and lead_in < 2 and not is_heading(nxt):
                lead_in += 1  # the sentence announcing the list goes on
            else:
                break
        if len(items) >= 2:
            return items
    return []


def labelled_paragraphs(lines: list[Ln], labels: dict[str, list[str]],
                        stop: re.Pattern[str]) -> dict[str, tuple[str, int]]:
    """``{field: [label words]}`` → ``{field: (text, line of the label)}``: a label opens its
    field (text after its colon included), the lines below fill it until a line ending with a
    colon or matching ``stop`` (a table's header)."""
    names = {fold(w): key for key, words in labels.items() for w in words}
    if not names:
        return {}
    label = re.compile(r"^\s*(?P<label>" + "|".join(map(re.escape, names))
                       + r")\b[^:]{0,30}:\s*(?P<text>.*)$", re.I)
    key: str | None = None
    texts: dict[str, list[str]] = {}
    first: dict[str, int] = {}
    for ln in lines:
        m = label.match(fold(ln.raw))
        if m:
            key = names[m.group("label")]
            texts.setdefault(key, [])
            first.setdefault(key, ln.number)
            rest = ln.raw[ln.raw.index(":") + 1:].strip()
            if rest:
                texts[key].append(rest)
            continue
        if key is None or ln.blank:
            continue
        if ln.text.endswith(":") or stop.search(ln.text):
            key = None
            continue
        texts[key].append(ln.text)
    return {key: ("\n".join(parts), first[key]) for key, parts in texts.items()}


def describe(draft, raw: list[str], words: dict, is_heading: Callable[[str], bool],
             skip: Callable[[str], bool] = lambda t: False) -> None:
    """The draft's title, period, kind, organisation and announced list from the lines ``raw``
    and ``words`` (regexes ``title_words``, ``self_name``, ``announced``; ``kinds``;
    ``announced_key``: where the list goes in ``draft.extra``)."""
    texts = [t.strip() for t in raw if t.strip()]
    draft.title, draft.period_start, draft.period_end = title_and_period(
        texts, re.compile(words["title_words"]))
    draft.kind = kind_of(draft.title, words["kinds"])
    draft.organization = own_acronym(texts, re.compile(words["self_name"]), skip) or \
        draft.organization
    listed = announced_list(raw, re.compile(words["announced"]), is_heading)
    if listed:
        draft.extra[words["announced_key"]] = listed


__all__ = ["announced_list", "describe", "kind_of", "labelled_paragraphs", "own_acronym",
           "title_and_period"]
