"""Readers: bytes → :class:`~jalon.ingest.document.Document`.

The type comes from the bytes, the file name's extension only breaks ties:

========================  =============================================================
``%PDF`` header           PDF (:mod:`.pdf`)
ZIP (``PK``)              DOCX / XLSX by ``[Content_Types].xml``, ODS by ``mimetype``
``{`` first               JSON (one line with the whole text; the interchange module parses it)
text                      CSV when a delimiter splits the lines consistently, else plain text
========================  =============================================================

Every refusal is an :class:`IngestError` whose message is one French line naming the file:
empty, larger than the limit (``JALON_IMPORT_MAX_BYTES``, default 20 MB), binary, truncated or
encrypted PDF, ZIP bomb (declared sizes, ratio and entry count checked before anything is
extracted), corrupt DOCX/XLSX/ODS, old binary Office formats.
"""

from __future__ import annotations

import io
import os
import struct
import zipfile
import zlib
from pathlib import Path

from ..document import Document, Line
from ..errors import IngestError
from ..i18n import _
from . import text as _text
from .limits import Limits, budget, check_office_counts, limits_from_env, reading

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
ZIP_MAX_TOTAL = 200 * 1024 * 1024  # declared uncompressed size of all entries
ZIP_MAX_RATIO = 100  # uncompressed / compressed, above ZIP_RATIO_FLOOR
ZIP_RATIO_FLOOR = 2 * 1024 * 1024  # small archives may compress well without being bombs
ZIP_MAX_ENTRIES = 10_000

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MIMETYPES = {
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.text": "odt",
}
EXTENSIONS = {".pdf": "pdf", ".docx": "docx", ".xlsx": "xlsx", ".xlsm": "xlsx", ".ods": "ods",
              ".csv": "csv", ".tsv": "csv", ".json": "json", ".txt": "text", ".md": "text"}

__all__ = ["read_bytes", "read_path", "detect", "max_bytes_from_env", "Limits", "limits_from_env"]


def max_bytes_from_env() -> int:
    raw = os.environ.get("JALON_IMPORT_MAX_BYTES", "").strip()
    try:
        value = int(raw)
    except ValueError:
        return DEFAULT_MAX_BYTES
    return value if value > 0 else DEFAULT_MAX_BYTES


def read_path(path: str | os.PathLike[str], *, max_bytes: int | None = None) -> Document:
    p = Path(path)
    limit = max_bytes if max_bytes is not None else max_bytes_from_env()
    try:
        size = p.stat().st_size
        if size > limit:
            raise _too_big(p.name, size, limit)
        data = p.read_bytes()
    except OSError as exc:
        raise IngestError(_("fichier illisible (%(reason)s)") % {"reason": exc.strerror or exc},
                          file=p.name) from None
    return read_bytes(p.name, data, max_bytes=limit)


def read_bytes(name: str, data: bytes, *, max_bytes: int | None = None,
               limits: Limits | None = None) -> Document:
    """Read a document of any supported type.  Raises only :class:`IngestError`.

    The reading is bounded (:mod:`.limits`): lines, cells, PDF pages and seconds, from the
    environment unless ``limits`` is given."""
    with reading(name, limits):
        return _read_bytes(name, data, max_bytes)


def _read_bytes(name: str, data: bytes, max_bytes: int | None) -> Document:
    limit = max_bytes if max_bytes is not None else max_bytes_from_env()
    if not data or not data.strip():
        raise IngestError(_("fichier vide"), file=name)
    if len(data) > limit:
        raise _too_big(name, len(data), limit)
    kind = "fichier"  # translated by _kind
    try:
        kind, text = _detect(name, data)
        return _read(kind, name, data, text)
    except IngestError:
        raise
    except RecursionError:
        raise IngestError(_("%(kind)s trop imbriqué ou illisible") % {"kind": _kind(kind)},
                          file=name) from None
    except Exception as exc:  # a library bug on odd input must not escape as a crash
        raise IngestError(_("%(kind)s illisible (%(error)s)")
                          % {"kind": _kind(kind), "error": type(exc).__name__}, file=name) from None


def _read(kind: str, name: str, data: bytes, text: str | None) -> Document:
    if kind == "pdf":
        from .pdf import read_pdf

        return read_pdf(name, data)
    if kind == "docx":
        from .docx import read_docx

        return read_docx(name, data)
    if kind == "xlsx":
        from .sheet import read_xlsx

        return read_xlsx(name, data)
    if kind == "ods":
        from .sheet import read_ods

        return read_ods(name, data)
    if text is None:
        text = _text.decode(data, name)
    if kind == "json":
        return Document(name, [Line(1, text)], "json")
    if kind == "csv":
        from .sheet import read_csv

        return read_csv(name, data, text)
    return _text.document_from_text(name, text)


def _too_big(name: str, size: int, limit: int) -> IngestError:
    return IngestError(_("fichier trop volumineux (%(size)s, limite %(limit)s)")
                       % {"size": _size(size), "limit": _size(limit)}, file=name)


def _kind(kind: str) -> str:
    """``pdf`` → ``PDF``; the generic word «fichier» translated."""
    return _("fichier") if kind == "fichier" else kind.upper()


def _size(n: int) -> str:
    """A size as people read it: ``20 Mo``, ``28,6 Mo``, ``12 Ko``, ``900 octets``."""
    if n >= 1024 * 1024:
        mb = f"{n / 1024 / 1024:.1f}".rstrip("0").rstrip(".").replace(".", ",")
        return _("%(n)s Mo") % {"n": mb}
    if n >= 1024:
        return _("%(n)s Ko") % {"n": n // 1024}
    return _("%(n)s octets") % {"n": n}


# -- detection --------------------------------------------------------------------------------
def detect(name: str, data: bytes) -> str:
    """The document kind: pdf, docx, xlsx, ods, json, csv or text (IngestError otherwise)."""
    return _detect(name, data)[0]


def _detect(name: str, data: bytes) -> tuple[str, str | None]:
    """The kind, and the decoded text for text kinds (decoded once)."""
    ext = EXTENSIONS.get(Path(name).suffix.lower())
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf", None
    if data.startswith(b"PK"):
        return _zip_kind(name, data, ext), None
    if data.startswith(OLE2_MAGIC):
        raise IngestError(_("format Office 97-2003 (.doc/.xls) ou document protégé par mot de "
                            "passe : enregistrer en .docx/.xlsx sans mot de passe"), file=name)
    if ext == "pdf":
        raise IngestError(_("PDF tronqué ou illisible (en-tête %(magic)s absent)") % {"magic": "%PDF"}, file=name)
    text = _text.decode(data, name)
    return _text_kind(text, ext), text


def _text_kind(text: str, ext: str | None) -> str:
    from .sheet import csv_consistency

    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped.startswith("{") and ext in (None, "json", "text"):
        return "json"
    best = csv_consistency(text)
    if best is None:
        return "text"
    delim, share, fields = best
    strong = share >= 0.9 and (delim in ";\t" or fields >= 3)
    weak = share >= 0.6
    if ext == "csv":
        return "csv" if weak else "text"
    if ext == "text":
        return "csv" if strong and share == 1.0 and fields >= 3 else "text"
    return "csv" if strong else "text"


def _zip_kind(name: str, data: bytes, ext: str | None) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            check_zip_bomb(name, infos, len(data))
            check_actual_sizes(name, data, infos)
            names = {i.filename for i in infos}
            kind = _ooxml_kind(zf, names) or _odf_kind(zf, names)
            if kind in ("docx", "xlsx", "ods"):
                check_office_counts(name, zf, kind, budget(name))
    except IngestError:
        raise
    except Exception:  # BadZipFile, truncated central directory, bad compression …
        label = (ext or "zip").upper()
        raise IngestError(_("%(kind)s corrompu ou tronqué (archive ZIP illisible)")
                          % {"kind": label}, file=name) from None
    if kind in ("docx", "xlsx", "ods"):
        return kind
    if kind == "odt":
        raise IngestError(_("format ODT non pris en charge : enregistrer en .docx ou .pdf"),
                          file=name)
    if kind == "pptx":
        raise IngestError(_("présentation non prise en charge : enregistrer en .pdf"), file=name)
    if ext in ("docx", "xlsx", "ods"):
        raise IngestError(_("%(kind)s corrompu (structure du document absente)")
                          % {"kind": ext.upper()}, file=name)
    raise IngestError(_("archive ZIP qui n'est ni un DOCX, ni un XLSX, ni un ODS"), file=name)


ZIP_CHUNK = 64 * 1024
_LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature, then file name and extra field lengths


def check_actual_sizes(name: str, data: bytes, infos: list[zipfile.ZipInfo]) -> None:
    """Inflate every entry as a stream, counting the bytes it *actually* holds, and refuse an
    entry that holds more than it declares (a lying archive) or an archive whose entries hold
    more than ``ZIP_MAX_TOTAL`` — in constant memory (one 64 KiB chunk at a time), before any
    reader opens it."""
    view = memoryview(data)
    total = 0
    for info in infos:
        if info.is_dir():
            continue
        start = info.header_offset
        signature, name_len, extra_len = _LOCAL_HEADER.unpack_from(view, start)
        if signature != b"PK\x03\x04":
            raise IngestError(_("archive ZIP corrompue (en-tête local absent)"), file=name)
        pos = start + _LOCAL_HEADER.size + name_len + extra_len
        if info.compress_type == zipfile.ZIP_STORED:
            produced = min(info.compress_size, len(data) - pos)
        elif info.compress_type == zipfile.ZIP_DEFLATED:
            produced = _inflated_size(view, pos, info, name, ZIP_MAX_TOTAL - total)
        else:
            raise IngestError(_("archive ZIP : compression non prise en charge pour "
                                "%(entry)s") % {"entry": info.filename}, file=name)
        if produced > info.file_size:
            raise _liar(name, info)
        total += produced
        if total > ZIP_MAX_TOTAL:
            raise IngestError(_("archive suspecte (bombe ZIP ?) : plus de %(size)s "
                                "décompressés") % {"size": _size(ZIP_MAX_TOTAL)}, file=name)


def _inflated_size(view: memoryview, pos: int, info: zipfile.ZipInfo, name: str,
                   room: int) -> int:
    inflater = zlib.decompressobj(-15)
    produced = 0
    limit = min(info.file_size, room)
    while not inflater.eof:
        if inflater.unconsumed_tail:
            out = inflater.decompress(inflater.unconsumed_tail, ZIP_CHUNK)
        else:
            chunk = view[pos:pos + ZIP_CHUNK]
            if not chunk:
                break
            pos += len(chunk)
            out = inflater.decompress(chunk, ZIP_CHUNK)
        produced += len(out)
        if produced > limit:
            if produced > info.file_size:
                raise _liar(name, info)
            return produced  # over the archive's total: the caller says so
    return produced


def _liar(name: str, info: zipfile.ZipInfo) -> IngestError:
    return IngestError(_("archive suspecte : %(entry)s contient plus que les %(size)s annoncés")
                       % {"entry": info.filename, "size": _size(info.file_size)}, file=name)


def check_zip_bomb(name: str, infos: list[zipfile.ZipInfo], compressed: int) -> None:
    """Refuse archives whose declared sizes announce a bomb (nothing is extracted yet).

    The declared sizes are binding: Python's zipfile stops at the declared size and checks the
    CRC, so an archive lying about them fails later as corrupt instead of expanding.
    """
    if len(infos) > ZIP_MAX_ENTRIES:
        raise IngestError(_("archive suspecte (bombe ZIP ?) : %(n)s entrées")
                          % {"n": len(infos)}, file=name)
    total = sum(max(i.file_size, 0) for i in infos)
    if total > ZIP_MAX_TOTAL:
        raise IngestError(_("archive suspecte (bombe ZIP ?) : %(size)s décompressés")
                          % {"size": _size(total)}, file=name)
    ratio = total / max(compressed, 1)
    if total > ZIP_RATIO_FLOOR and ratio > ZIP_MAX_RATIO:
        raise IngestError(_("archive suspecte (bombe ZIP ?) : taux de compression %(ratio)s:1")
                          % {"ratio": f"{ratio:.0f}"}, file=name)
    for info in infos:
        entry_ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > ZIP_RATIO_FLOOR and entry_ratio > 2 * ZIP_MAX_RATIO:
            raise IngestError(_("archive suspecte (bombe ZIP ?) : %(entry)s compressé "
                                "%(ratio)s:1") % {"entry": info.filename,
                                                  "ratio": f"{entry_ratio:.0f}"}, file=name)


def _ooxml_kind(zf: zipfile.ZipFile, names: set[str]) -> str | None:
    if "[Content_Types].xml" not in names:
        return None
    info = zf.getinfo("[Content_Types].xml")
    if info.file_size > 1024 * 1024:
        return None
    types = zf.read(info).decode("utf-8", "replace")
    if "wordprocessingml.document" in types or "word/document.xml" in names:
        return "docx"
    if "spreadsheetml" in types or "xl/workbook.xml" in names:
        return "xlsx"
    if "presentationml" in types:
        return "pptx"
    return None


def _odf_kind(zf: zipfile.ZipFile, names: set[str]) -> str | None:
    if "mimetype" not in names or zf.getinfo("mimetype").file_size > 200:
        return None
    mimetype = zf.read("mimetype").decode("ascii", "replace").strip()
    return MIMETYPES.get(mimetype)
