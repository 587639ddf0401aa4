"""Layout parsers: lines → PlanDraft.

Each parser module exposes ``NAME`` (str), ``score(doc: Document) -> float`` (0..1: how strongly
the document shows this layout's features; never looks at the file name) and
``parse(doc: Document) -> PlanDraft``.  :func:`parse_document` picks the best-scoring parser.
"""
