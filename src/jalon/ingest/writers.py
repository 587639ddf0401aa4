"""Write a :class:`PlanDraft` as the files administrations open every day.

* :func:`draft_to_xlsx` / :func:`draft_to_ods`: sheet "Plan" = the tabular template (one row per
  node under the header row of :data:`~jalon.ingest.parsers.tabular.TEMPLATE_COLUMNS`, plus the
  optional columns some node uses) and sheet "Plan info" = the plan's metadata as key/value rows;
* :func:`draft_to_csv`: the "Plan" sheet alone, ``;``-separated (encode it as ``utf-8-sig`` for
  Excel);
* :func:`draft_to_docx`: the title, the plan's metadata, then per node a heading at level
  depth + 1 "CODE — Title" followed by a two-column table of its fields with French labels.

All of them read back with :mod:`jalon.ingest.readers` and the ``tabular`` / ``jalon_docx``
parsers to the same codes, parents, titles, levels and fields (value conventions in
:mod:`jalon.ingest.parsers.tabular`).  Indicators keep their name and target only.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from jalon.core.cells import safe_text

from .draft import PlanDraft
from .parsers.tabular import (
    COLUMNS,
    Column,
    format_cell,
    format_number,
    plan_info_rows,
)

PLAN_SHEET = "Plan"
INFO_SHEET = "Plan info"
EM_DASH = "—"
MAX_HEADING = 9
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _columns(draft: PlanDraft) -> list[Column]:
    used = {k for n in draft.nodes for k, v in n.fields.items() if v not in (None, "", [])}
    return [c for c in COLUMNS if not c.optional or c.key in used]


def _row(draft: PlanDraft, node: Any, columns: list[Column]) -> list[Any]:
    out: list[Any] = []
    for col in columns:
        if col.key == "code":
            out.append(node.code)
        elif col.key == "parent":
            out.append(node.parent or "")
        elif col.key == "level":
            out.append(node.level)
        elif col.key == "title":
            out.append(node.title)
        else:
            value = node.fields.get(col.key)
            out.append("" if value in (None, "", []) else format_cell(col.key, value))
    return out


def template_rows(draft: PlanDraft) -> list[list[Any]]:
    """Header + one row per node (parents before children)."""
    draft.finish()
    columns = _columns(draft)
    return [[c.header for c in columns]] + [_row(draft, n, columns) for n in draft.nodes]


def clean(text: str) -> str:
    """Drop the control characters XML files cannot hold."""
    return _CONTROL.sub("", text)


def _text_columns(draft: PlanDraft) -> set[int]:
    return {i for i, c in enumerate(_columns(draft)) if not _numeric_column(c.key)}


def _numeric_column(key: str) -> bool:
    return key in ("budget_eur", "fte", "progress")


# -- XLSX -------------------------------------------------------------------------------------
def draft_to_xlsx(draft: PlanDraft) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    rows = template_rows(draft)
    text_cols = _text_columns(draft)
    wb = Workbook()
    ws = wb.active
    ws.title = PLAN_SHEET
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            _put(ws, r, c, value, c - 1 in text_cols)
    info = wb.create_sheet(INFO_SHEET)
    for r, row in enumerate([("Clé", "Valeur"), *plan_info_rows(draft)], start=1):
        for c, value in enumerate(row, start=1):
            _put(info, r, c, value, isinstance(value, str))
    for sheet in (ws, info):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    _widths(ws)
    _widths(info)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _put(ws: Any, row: int, column: int, value: Any, text: bool) -> None:
    """Write one cell; text stays text (never a formula, never a number)."""
    from openpyxl.styles import Alignment

    if value in ("", None):
        return
    if text or isinstance(value, str):
        value = clean(str(value))  # typed as text below: never run (the CSV gets the quote)
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
        if "\n" in value:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _widths(ws: Any) -> None:
    from openpyxl.utils import get_column_letter

    for i, column in enumerate(ws.iter_cols(values_only=True), start=1):
        longest = max((len(str(v).split("\n")[0]) for v in column if v is not None), default=8)
        ws.column_dimensions[get_column_letter(i)].width = min(max(longest + 2, 8), 60)


# -- CSV --------------------------------------------------------------------------------------
def draft_to_csv(draft: PlanDraft, delimiter: str = ";") -> str:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    for row in template_rows(draft):
        writer.writerow([_csv_value(v) for v in row])
    return buf.getvalue()


def _csv_value(value: Any) -> str:
    if isinstance(value, float):
        return format_number(value)
    # spreadsheets would run a formula (CSV injection): one rule for every writer
    return safe_text("" if value is None else clean(str(value)))


# -- ODS --------------------------------------------------------------------------------------
def draft_to_ods(draft: PlanDraft) -> bytes:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table

    doc = OpenDocumentSpreadsheet()
    plan = Table(name=PLAN_SHEET)
    for row in template_rows(draft):
        plan.addElement(_ods_row(row))
    doc.spreadsheet.addElement(plan)
    info = Table(name=INFO_SHEET)
    info.addElement(_ods_row(["Clé", "Valeur"]))
    for key, value in plan_info_rows(draft):
        info.addElement(_ods_row([key, value]))
    doc.spreadsheet.addElement(info)
    buf = io.BytesIO()
    doc.write(buf)
    return buf.getvalue()


def _ods_row(values: list[Any]) -> Any:
    from odf.table import TableCell, TableRow
    from odf.text import P

    row = TableRow()
    for value in values:
        if isinstance(value, int | float) and not isinstance(value, bool):
            cell = TableCell(valuetype="float", value=format_number(float(value)))
            cell.addElement(P(text=format_number(float(value))))
        else:
            cell = TableCell(valuetype="string")
            for part in clean(str(value)).split("\n") if value not in (None, "") else []:
                cell.addElement(P(text=part))
        row.addElement(cell)
    return row


# -- DOCX -------------------------------------------------------------------------------------
def draft_to_docx(draft: PlanDraft) -> bytes:
    import docx

    from .parsers.tabular import COLUMN_BY_KEY

    draft.finish()
    document = docx.Document()
    document.add_heading(clean(draft.title) or "Plan", level=0)
    info = plan_info_rows(draft)
    if info:
        _table(document, [(label, _text(value)) for label, value in info])
    for node in draft.nodes:
        level = min(node.depth + 1, MAX_HEADING)
        document.add_heading(clean(f"{node.code} {EM_DASH} {node.title}"), level=level)
        rows: list[tuple[str, str]] = []
        if node.level:
            rows.append((COLUMN_BY_KEY["level"].label, clean(node.level)))
        if node.depth + 1 > MAX_HEADING and node.parent:
            rows.append((COLUMN_BY_KEY["parent"].label, node.parent))
        for col in COLUMNS:
            value = node.fields.get(col.key)
            if col.key in ("code", "parent", "level", "title") or value in (None, "", []):
                continue
            rows.append((col.label, _text(format_cell(col.key, value))))
        if rows:
            _table(document, rows)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _text(value: Any) -> str:
    if isinstance(value, float):
        return format_number(value)
    return clean(str(value))


def _table(document: Any, rows: list[tuple[str, str]]) -> None:
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].text = label
        cells[1].text = value
        for run in cells[0].paragraphs[0].runs:
            run.bold = True
