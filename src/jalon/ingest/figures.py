"""Figures stated in prose become indicators of the item whose text states them.

From the paragraphs and bullets under a heading (:func:`units`):

* labelled values (``Nombre de lits disponibles : 148``, ``Taux occupation budgété : 91,89%``);
* rates (``Taux d'occupation de 100% aux centres …``);
* counts that evolve between two dates (``le nombre de bénéficiaires … est passé de 26.268 à
  27.160`` with ``Entre 2019 et 2020``);
* rows of monthly tables (``déc-21 14669 87295 1,75% 2,13%``) named by their caption and
  column labels;
* references to the body's own strategic plan (``projet 29 du Plan stratégique``, ``OS 5``) →
  tags ``PS:projet 29``, ``PS:OS 5``.

A footnote call glued to a figure is cut (``29.9531`` → ``29.953``) with a warning.  Pure
Python; used by :mod:`jalon.ingest.outline` (the case ``prose``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .draft import NodeDraft, PlanDraft
from .i18n import _
from .pagetext import BULLET, CONNECTORS, PageLines, last_word


@dataclass
class Unit:
    bullet: bool
    text: str
    line: int  # document line number of its first line
    breaks: list[tuple[int, int]] = field(default_factory=list)  # (offset in text, line)

    def extend(self, text: str, line: int) -> None:
        self.breaks.append((len(self.text) + 1, line))
        self.text += " " + text


def units(lines: PageLines, start: int, stop: int) -> list[Unit]:
    """Paragraphs and bullet items between two headings (wrapped lines joined)."""
    units: list[Unit] = []
    blank_before = True
    for i in range(start, stop):
        t = lines.text(i)
        if not t:
            blank_before = True
            continue
        m = BULLET.match(lines.raw[i])
        if m:
            units.append(Unit(True, lines.raw[i][m.end():].strip(), lines.numbers[i]))
        elif units and (not blank_before or t[0].islower()):
            units[-1].extend(t, lines.numbers[i])
        else:
            units.append(Unit(False, t, lines.numbers[i]))
        blank_before = False
    return [u for u in units if u.text]


def description(units: list[Unit]) -> str:
    return "\n".join(("- " if u.bullet else "") + u.text for u in units)


# --------------------------------------------------------------------------------------------
# Figures → indicators
# --------------------------------------------------------------------------------------------

_NUM = r"\d{1,3}(?:\.\d{3,4})+(?:,\d+)?|\d+(?:,\d+)?"
_YEAR = r"(?:19|20)\d{2}"
_MONTHS = (r"janv(?:ier)?|f[ée]vr?(?:ier)?|mars|avr(?:il)?|mai|juin|juil(?:let)?|ao[uû]t|"
           r"sept(?:embre)?|oct(?:obre)?|nov(?:embre)?|d[ée]c(?:embre)?")
_QUANTITY_WORDS = {
    "nombre", "nb", "taux", "part", "total", "capacité", "moyenne", "montant", "budget",
    "effectif", "effectifs", "pourcentage", "proportion", "durée", "délai", "volume", "coût",
    "surface", "superficie",
}
_LABELLED = re.compile(
    r"^(?P<label>[^\d:]{3,80}?)\s*:\s*(?P<value>\d[\d\s.,\u202f\u00a0]*?)\s*"
    r"(?P<unit>%|€|[^\W\d_]{2,20})?\s*(?P<note>\([^)]*\))?\s*[.;]?\s*$"
)
_RATE = re.compile(
    r"^(?P<label>(?:Taux|Part|Pourcentage|Proportion)\b[^:%\d]{0,60}?)\s+(?:de|d['’]|:)\s*"
    rf"(?P<value>(?:{_NUM})\s*%)\s*(?P<rest>.*)$"
)
_MONTH_ROW = re.compile(
    rf"^(?P<period>(?:{_MONTHS})\.?(?:[-/ ]?\d{{2,4}}))\s+"
    r"(?P<values>[-+]?\d[\d.,]*\s*%?(?:\s+[-+]?\d[\d.,]*\s*%?)*)\s*$",
    re.IGNORECASE,
)
_EVOLUTION = re.compile(
    r"\b(?P<art>[Ll]e|[Cc]e)\s+nombre(?P<adj>\s+(?:moyen|total|mensuel(?:\s+moyen)?))?"
    r"(?:\s+(?:de\s+|d['’]\s*)(?P<subj>[^,;:()]{2,80}?))?"
    r"\s+(?:(?:est|a|étant|ainsi|avait|sont)\s+){0,3}(?:passé|passe|passait|passant)\s+"
    rf"(?:(?:de\s+)?(?P<n1>{_NUM})(?:\s+en\s+(?P<y1>{_YEAR}))?\s+)?à\s+(?P<n2>{_NUM})"
    rf"(?:\s+(?!en\b)(?P<unit>[^\W\d_]+))?(?:\s+en\s+(?P<y2>{_YEAR}))?"
)
_THEN = re.compile(rf"^[^.]{{0,60}}?\bpuis\s+à\s+(?P<n>{_NUM})\s+en\s+(?P<y>{_YEAR})")
_SUBJECT = re.compile(r"\bnombre(?:\s+moyen|\s+total)?\s+(?:de\s+|d['’]\s*)"
                      r"(?P<subj>[^\W\d_][^,;:()]{1,60}?)\s+(?=\w+(?:é|ait|e)\b)")
_BETWEEN = re.compile(
    rf"\b(?:[Ee]ntre|[Dd]e)\s+(?P<a>(?:(?:{_MONTHS})\s+)?{_YEAR})\s+(?:et|à)\s+"
    rf"(?P<b>(?:(?:{_MONTHS})\s+)?{_YEAR})",
    re.IGNORECASE,
)
_IN_YEAR = re.compile(rf"\b[Ee]n\s+(?P<y>{_YEAR})\b")
_SENTENCE_END = re.compile(r"[.!?]\s+(?=[A-ZÀ-Ý])")


def _unglue(number: str) -> str:
    """``29.9531`` (a footnote call glued to ``29.953``) → ``29.953``."""
    m = re.fullmatch(r"(\d{1,3}(?:\.\d{3})*\.\d{3})\d{1,2}", number)
    return m.group(1) if m else number


class Figures:
    """Collect indicators and tags from the body of one node."""

    def __init__(self, draft: PlanDraft, owner: NodeDraft, units: list[Unit]) -> None:
        self.draft, self.owner, self.units = draft, owner, units
        self.seen: set[tuple[str, str]] = {
            (i.get("name", ""), i.get("target") or "") for i in owner.fields.get("indicators", [])
        }

    def number(self, printed: str, line: int) -> str:
        fixed = _unglue(printed)
        if fixed != printed:
            self.draft.warn(_("nombre %(printed)s lu %(fixed)s (appel de note collé ?)")
                            % {"printed": repr(printed), "fixed": repr(fixed)}, line,
                            self.owner.code)
        return fixed

    def add(self, name: str, target: str, line: int, **extra: str | None) -> None:
        name = " ".join(name.split())
        target = " ".join(target.split())
        if (name, target) in self.seen:
            return
        self.seen.add((name, target))
        self.owner.add_indicator(name, target, line, **extra)

    # -- labelled values and rates, one bullet or line each --------------------------------
    def labelled(self) -> None:
        for u in self.units:
            if len(u.text) > 160:
                continue
            m = _LABELLED.match(u.text)
            if m and self._labelled(m, u.line):
                continue
            m = _RATE.match(u.text)
            if m:
                rest = m.group("rest").strip(" .;")
                self.add(m.group("label"), self.number(m.group("value"), u.line), u.line,
                         unit="%", scope=rest or None)

    def _labelled(self, m: re.Match[str], line: int) -> bool:
        label = m.group("label").strip()
        words = label.split()
        unit = m.group("unit")
        if not words or len(words) > 8 or not words[0][0].isupper():
            return False
        quantity = words[0].lower() in _QUANTITY_WORDS
        if not quantity and not unit:
            return False
        if unit and unit != "%" and unit != "€" and not quantity:
            return False
        value = m.group("value").strip()
        printed = m.string[m.start("value"):m.end("unit") if unit else m.end("value")].strip()
        fixed = self.number(value, line)
        printed = printed.replace(value, fixed, 1)
        note = (m.group("note") or "").strip("() ")
        self.add(label, printed, line, unit=unit or _unit_from_label(label), note=note or None)
        return True

    # -- evolutions of a count in the prose -------------------------------------------------
    def evolutions(self) -> None:
        text, starts = _joined(self.units)
        subject, seen_to = "", 0
        for m in _EVOLUTION.finditer(text):
            line = _line_at(starts, m.start())
            sentence = text[_sentence_start(text, m.start()):m.start()]
            for s in _SUBJECT.finditer(text, seen_to, m.start()):
                subject = s.group("subj")  # "ce nombre" refers to the last count named
            seen_to = m.end()
            subj = (m.group("subj") or "").strip() or subject
            if not subj:
                continue
            subject = subj
            adj = (m.group("adj") or "").strip()
            name = f"Nombre {adj + ' ' if adj else ''}de {subj}"
            unit = m.group("unit") if m.group("unit") in ("individus", "personnes") else None
            unit = unit or subj.split()[0]
            periods = self._periods(sentence, m)
            values = [(periods[0], m.group("n1")), (periods[1], m.group("n2"))]
            then = _THEN.match(text[m.end():])
            if then:
                values.append((then.group("y"), then.group("n")))
            for period, value in values:
                if period and value:
                    self.add(f"{name} – {period}", self.number(value, line), line, unit=unit,
                             period=period)

    @staticmethod
    def _periods(before: str, m: re.Match[str]) -> tuple[str | None, str | None]:
        y1, y2 = m.group("y1"), m.group("y2")
        if y1 or y2:
            return y1, y2
        between = list(_BETWEEN.finditer(before))
        if between:
            return between[-1].group("a"), between[-1].group("b")
        in_year = list(_IN_YEAR.finditer(before))
        if in_year and not m.group("n1"):
            return None, in_year[-1].group("y")
        return None, None

    # -- references to the strategic plan ---------------------------------------------------
    def tags(self) -> list[tuple[str, int]]:
        text, starts = _joined(self.units)
        found: list[tuple[str, int]] = []
        for m in _PLAN_REF.finditer(text):
            kind = m.group("kind")
            if kind.lower() in ("projet", "action"):
                s, e = _sentence_start(text, m.start()), _sentence_stop(text, m.end())
                if not _PLAN_NAME.search(text[s:e]):
                    continue
                kind = kind.lower()
            found.append((f"PS:{kind} {m.group('num')}", _line_at(starts, m.start())))
        return found


_PLAN_REF = re.compile(r"\b(?P<kind>[Pp]rojet|[Aa]ction|OS|OO)\s*(?:n°\s*)?(?P<num>\d{1,3}"
                       r"(?:\.\d{1,3})*)\b(?![.,]\d)")
_PLAN_NAME = re.compile(r"plan\s+stratégique|programme\s+stratégique|\bPST\b", re.IGNORECASE)


def _unit_from_label(label: str) -> str | None:
    m = re.match(r"(?i)nombre\s+(?:de\s+|d['’]\s*)?([^\W\d_]+)", label)
    return m.group(1) if m else None


def _joined(units: list[Unit]) -> tuple[str, list[tuple[int, int]]]:
    parts, starts, pos = [], [], 0
    for u in units:
        starts.append((pos, u.line))
        starts.extend((pos + offset, line) for offset, line in u.breaks)
        parts.append(u.text)
        pos += len(u.text) + 1
    return " ".join(parts), starts


def _line_at(starts: list[tuple[int, int]], offset: int) -> int:
    line = starts[0][1] if starts else 0
    for pos, ln in starts:
        if pos > offset:
            break
        line = ln
    return line


def _sentence_start(text: str, offset: int) -> int:
    start = 0
    for m in _SENTENCE_END.finditer(text, 0, offset):
        start = m.end()
    return start


def _sentence_stop(text: str, offset: int) -> int:
    m = _SENTENCE_END.search(text, offset)
    return m.start() + 1 if m else len(text)


def month_tables(lines: PageLines, start: int, stop: int) -> list[tuple[str, str, str, str, int]]:
    """Rows ``month values…`` of monthly tables → (name, target, unit, period, line)."""
    out: list[tuple[str, str, str, str, int]] = []
    header: tuple[str, list[str]] | None = None
    previous_row = -10
    for i in range(start, stop):
        m = _MONTH_ROW.match(" ".join(lines.text(i).replace("|", " ").split()))
        if not m:
            continue
        if i - previous_row > 3:  # a new table: read its caption and column labels
            header = _table_header(lines, start, i)
        previous_row = i
        values = re.findall(r"[-+]?\d[\d.,]*\s*%?", m.group("values"))
        subject, labels = header or ("", [])
        if len(labels) == len(values) + 1:
            labels = labels[1:]
        if len(labels) != len(values):
            labels = [f"colonne {k + 1}" for k in range(len(values))]
        counts = [k for k, v in enumerate(values) if "%" not in v] or range(len(values))
        for k in counts:
            value = values[k].strip()
            unit = "%" if "%" in value else _subject_unit(subject)
            name = " – ".join(p for p in (subject, labels[k], m.group("period")) if p)
            out.append((name, value, unit or "", m.group("period"), lines.numbers[i]))
    return out


def _table_header(lines: PageLines, start: int, first_row: int) -> tuple[str, list[str]]:
    """The caption and the column labels printed above the first row of a table."""
    found: list[str] = []
    for j in range(first_row - 1, max(start, first_row - 25) - 1, -1):
        t = " ".join(lines.text(j).replace("|", " ").split())
        if not t:
            continue
        if len(t) > 60 or t[-1] in ".:;" or _MONTH_ROW.match(t):
            break
        found.insert(0, t)
    if not found:
        return "", []
    at = next((k for k, t in enumerate(found)
               if re.match(r"(?i)(période|mois|date|année)\b", t)), 1)
    caption = " ".join(found[:at])
    subject = re.split(r"\s%|\s{2,}", caption)[0].strip()
    return subject, _merge_labels(found[at:])


def _merge_labels(fragments: list[str]) -> list[str]:
    """Column labels wrapped over several lines: ``Région de Bruxelles-`` + ``Capitale``."""
    labels: list[str] = []
    glue = False
    for frag in fragments:
        if labels and glue:
            # "Luxem-" + "bourg": a split word; "Bruxelles-" + "Capitale": a compound
            cut = labels[-1].endswith("-") and frag[:1].islower()
            sep = "" if labels[-1].endswith("-") else " "
            labels[-1] = labels[-1][:-1] if cut else labels[-1]
            labels[-1] = f"{labels[-1]}{sep}{frag}"
        else:
            labels.append(frag)
        glue = labels[-1].endswith("-") or last_word(labels[-1]) in CONNECTORS
    return labels


def _subject_unit(subject: str) -> str | None:
    m = re.search(r"\b(?:des|de|du|d['’])\s*([^\W\d_]+)\s*$", subject)
    return m.group(1) if m else None


def fill_body(draft: PlanDraft, lines: PageLines, node: NodeDraft, owner: NodeDraft, start: int,
              stop: int) -> None:
    """The text of lines ``start``–``stop`` (a heading's body) as ``node``'s description and
    tags; its figures become indicators of ``owner`` (the nearest numbered item)."""
    body = units(lines, start, stop)
    if body:
        node.set("description", description(body), body[0].line)
    figures = Figures(draft, owner, body)
    figures.labelled()
    figures.evolutions()
    for name, target, unit, period, line in month_tables(lines, start, stop):
        figures.add(name, target, line, unit=unit or None, period=period)
    tags = figures.tags()
    if tags:
        values = list(dict.fromkeys(tag for tag, _line in tags))
        node.set("tags", list(dict.fromkeys(node.fields.get("tags", []) + values)), tags[0][1])


# --------------------------------------------------------------------------------------------
# Plan metadata
