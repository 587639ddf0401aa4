"""Plain text: bytes → str with the encoding a Belgian office file is likely to use.

Order of the guesses:

1. a byte-order mark (UTF-8, UTF-16 LE/BE: "Unicode text" exports of Excel and Notepad);
2. strict UTF-8;
3. CP1252 or Latin-1 (Windows exports).  The two agree on 0xA0–0xFF; they differ on
   0x80–0x9F, which CP1252 prints (’ “ ” € œ …) and Latin-1 reserves for control codes.  When
   every such byte is a printable CP1252 character the text is CP1252, else Latin-1;
4. charset-normalizer, only when the text does not look like Western European text at all
   (many high bytes, e.g. UTF-16 without a mark or a DOS code page).

The text is normalised to NFC (accents composed) and line numbers stay those of the file:
lines are split on ``\\n``, ``\\r\\n`` and ``\\r`` only, and a form feed (page break in
``pdftotext`` output) starts a new page without consuming a line.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from ..document import Document, Line
from ..errors import IngestError
from ..i18n import _

_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")
_C1 = re.compile(rb"[\x80-\x9f]")
_NEWLINES = re.compile(r"\r\n|\r|\n")
# Control characters that never appear in a text document (tab, newlines, form feed excepted).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode(data: bytes, name: str = "") -> str:
    """Decode text bytes; raise IngestError when they are not text."""
    text = _decode_raw(data)
    if text is None or not looks_like_text(text):
        raise IngestError(_("fichier binaire ou format non reconnu"), file=name)
    return unicodedata.normalize("NFC", text)


def _decode_raw(data: bytes) -> str | None:
    for bom, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                       (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(codec)
            except UnicodeDecodeError:
                return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if _western(data):
        return data.decode(_cp1252_or_latin1(data))
    return _fallback(data)


def _cp1252_or_latin1(data: bytes) -> str:
    c1 = set(m.group()[0] for m in _C1.finditer(data))
    return "latin-1" if c1 & _CP1252_UNDEFINED else "cp1252"


def _western(data: bytes) -> bool:
    """Few high bytes and no NUL: a single-byte Western encoding is the likely one."""
    if b"\x00" in data:
        return False
    high = sum(1 for b in data if b >= 0x80)
    return high <= max(8, len(data) // 4)


def _fallback(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is None or best.encoding is None:
        return None
    try:
        return data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def looks_like_text(text: str) -> bool:
    """No NUL, few control characters, few undecodable replacement marks."""
    if not text.strip():
        return True
    sample = text[:100_000]
    if "\x00" in sample:
        return False
    bad = len(_CONTROL.findall(sample)) + sample.count("\ufffd")
    return bad <= max(2, len(sample) // 200)


def split_lines(text: str) -> list[tuple[str, int]]:
    """Lines of ``text`` with their page (1-based, form feeds count pages)."""
    out: list[tuple[str, int]] = []
    page = 1
    lines = _NEWLINES.split(text)
    if lines and lines[-1] == "":
        lines.pop()  # the file's final newline does not start a line
    for raw in lines:
        if "\f" in raw:
            page += raw.count("\f")
            raw = raw.replace("\f", "")
        out.append((raw, page))
    return out


def read_text(name: str, data: bytes, kind: str = "text") -> Document:
    text = decode(data, name)
    return document_from_text(name, text, kind)


def document_from_text(name: str, text: str, kind: str = "text") -> Document:
    from .limits import budget

    pairs = split_lines(text)
    budget(name).add(len(pairs))
    paged = any(page > 1 for _, page in pairs)
    lines = [Line(i, t, page if paged else None) for i, (t, page) in enumerate(pairs, start=1)]
    return Document(name, lines, kind)
