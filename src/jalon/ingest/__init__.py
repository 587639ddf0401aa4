"""Documents → PlanDraft. Pure Python: nothing here imports Django models.

``parse_bytes(name, data)`` reads the bytes (readers), recognises the layout by its features
(the structure engine, with a known document's case or parser when one scores clearly),
normalises field values (fields.finalize) and returns a PlanDraft.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from .document import Document
from .draft import PlanDraft
from .errors import IngestError
from .i18n import _

PARSER_MODULES = ("tabular", "jalon_docx")  # besides the seed cases (cases/)
# the engine's shape readers, layouts of their own with the words of vocabulary.json
READER_MODULES = ("sheets", "articles")
LAYOUT_ALIASES = {"action_sheets": "sheets", "contract": "articles"}  # former names
MIN_SCORE = 0.2
SEED_CLEAR = 0.8  # a known layout scoring this much reads it (its case or its parser)
TEMPLATE_LAYOUTS = ("jalon_docx",)  # Jalon's DOCX export: kept only when it finds as much


def all_parsers() -> list:
    """The engine, its shape readers, the cases of the engine (``cases/*.json``) and the
    remaining parsers."""
    from . import engine
    from .cases import case_parsers

    mods: list = [engine, *(importlib.import_module(f"{__name__}.{name}")
                            for name in READER_MODULES), *case_parsers()]
    for name in PARSER_MODULES:
        try:
            mods.append(importlib.import_module(f"{__name__}.parsers.{name}"))
        except ModuleNotFoundError as exc:  # a parser not (yet) shipped
            if exc.name != f"{__name__}.parsers.{name}":
                raise
    return mods


def scores(doc: Document) -> list[tuple[float, str]]:
    return sorted(((float(p.score(doc)), p.NAME) for p in all_parsers()), reverse=True)


def parse_document(doc: Document, layout: str | None = None,
                   mapping: dict[str, str] | None = None,
                   mapping_source: str = "user") -> PlanDraft:
    """The plan in ``doc``.  ``mapping`` overrides the column mapping of tabular sources:
    ``{normalised header: field name, or "" to ignore the column}`` (see
    :func:`jalon.ingest.mapping.normalise_header` and docs/importing.md)."""
    from .fields import finalize

    if doc.kind == "json":
        from .interchange import load_json

        return load_json(doc.lines[0].text if doc.lines else "", doc.name)
    from . import engine

    table = {p.NAME: p for p in all_parsers()}
    layout = LAYOUT_ALIASES.get(layout, layout) if layout else layout
    if layout:
        if layout not in table:
            raise IngestError(_("mise en page inconnue « %(layout)s » (connues : %(known)s)")
                              % {"layout": layout, "known": ", ".join(sorted(table))},
                              file=doc.name)
        chosen = table[layout]
    elif mapping is not None:
        chosen = engine
    else:
        chosen = _choose(doc, table)
    if chosen is engine:
        draft = (engine.cached_parse(doc) if mapping is None
                 else engine.parse(doc, mapping, mapping_source))
        engine.forget(doc)
    else:
        draft = chosen.parse(doc)
        if not draft.structure:
            draft.structure = f"layout: {chosen.NAME}"
    draft.layout = draft.layout or chosen.NAME
    draft.source = draft.source or Path(doc.name).name
    finalize(draft)
    if not draft.nodes:
        raise IngestError(_("aucun élément de plan trouvé"), file=doc.name)
    return draft


def _choose(doc: Document, table: dict):
    """A known layout recognised clearly (score ≥ SEED_CLEAR) keeps its parser; the template
    (tabular) only when its header is complete and clean; otherwise the structure engine,
    when it finds items; otherwise the best layout above MIN_SCORE."""
    from . import engine
    from .parsers import tabular

    ranked = sorted(((float(p.score(doc)), p.NAME) for p in table.values() if p is not engine),
                    reverse=True)  # the engine only runs when no known layout is clear
    for value, name in ranked:
        if name == engine.NAME or value < SEED_CLEAR:
            continue
        if name == tabular.NAME and not _clean_template(doc):
            continue
        if name in TEMPLATE_LAYOUTS and not _template_wins(doc, table[name]):
            continue
        return table[name]
    if engine.plan_like(engine.cached_parse(doc)):
        return engine
    best = next(((v, n) for v, n in ranked if n != tabular.NAME), None)
    if best is None or best[0] < MIN_SCORE:
        raise IngestError(_("aucune structure de plan reconnue (codes, intitulés, tableau "
                            "avec en-tête)"), file=doc.name)
    return table[best[1]]


def _template_wins(doc: Document, parser) -> bool:
    """Jalon's own exports keep their exact reader unless the engine finds more items."""
    from . import engine

    try:
        mine = len(parser.parse(doc).nodes)
    except IngestError:
        return False
    return mine >= 0.9 * len(engine.cached_parse(doc).nodes)


def _clean_template(doc: Document) -> bool:
    from .parsers import tabular

    header = tabular.find_header(doc)
    return bool(header and "title" in header.known and not header.unknown
                and not header.duplicates)


def parse_bytes(name: str, data: bytes, layout: str | None = None,
                max_bytes: int | None = None,
                mapping: dict[str, str] | None = None,
                mapping_source: str = "user") -> PlanDraft:
    from .readers import read_bytes

    return parse_document(read_bytes(name, data, max_bytes=max_bytes), layout, mapping,
                          mapping_source)


def parse_path(path: str | Path, layout: str | None = None,
               max_bytes: int | None = None,
               mapping: dict[str, str] | None = None,
               mapping_source: str = "user") -> PlanDraft:
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise IngestError(_("fichier illisible (%(reason)s)") % {"reason": exc.strerror},
                          file=str(path)) from None
    if max_bytes is not None and size > max_bytes:
        from .readers import _too_big

        raise _too_big(path.name, size, max_bytes)
    return parse_bytes(path.name, path.read_bytes(), layout, max_bytes, mapping, mapping_source)


__all__ = ["IngestError", "PlanDraft", "parse_bytes", "parse_document", "parse_path", "scores"]
