"""Small inline SVG charts drawn on the server (no JavaScript), accessible: each has a
``role="img"``, a ``<title>`` and a ``<desc>`` giving every value in words, and pages that show
one also give the same figures in a table.  Only presentation attributes are used (no ``style``
attribute), so they pass a strict Content-Security-Policy."""

from __future__ import annotations

from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from ..document import pct, value_text

BAR_HEIGHT, GAP, LABEL_WIDTH, BAR_WIDTH, VALUE_WIDTH = 14, 6, 84, 260, 52
TRACK = "#e6e6e6"
FONT = "DejaVu Sans, Arial, sans-serif"
SPARK_WIDTH_PX = 140  # a sparkline's width (CSS px, 96 per inch)


def _id(uid: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in uid)


def progress_bars(items: list[tuple[str, str, float | int | None]], *, title: str,
                  color: str = "#0b4f8a", uid: str = "chart") -> SafeString:
    """Horizontal bars of progress (0–100 %), one per (code, title, value)."""
    uid = _id(uid)
    height = max(1, len(items)) * (BAR_HEIGHT + GAP) + GAP
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    unknown = _("non renseigné")
    desc = "; ".join(f"{code} {name} : {pct(v) if v is not None else unknown}"
                     for code, name, v in items)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
           f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
           f'aria-labelledby="{uid}-t {uid}-d" font-family="{FONT}" font-size="10">',
           f'<title id="{uid}-t">{escape(title)}</title>',
           f'<desc id="{uid}-d">{escape(desc)}</desc>']
    for i, (code, _name, value) in enumerate(items):
        y = GAP + i * (BAR_HEIGHT + GAP)
        label = code if len(code) <= 14 else code[:13] + "…"
        out.append(f'<text x="0" y="{y + BAR_HEIGHT - 3}" fill="#1b1b1b">{escape(label)}</text>')
        out.append(f'<rect x="{LABEL_WIDTH}" y="{y}" width="{BAR_WIDTH}" height="{BAR_HEIGHT}" '
                   f'fill="{TRACK}"/>')
        if value is not None:
            w = round(BAR_WIDTH * max(0.0, min(float(value), 100.0)) / 100, 1)
            out.append(f'<rect x="{LABEL_WIDTH}" y="{y}" width="{w}" height="{BAR_HEIGHT}" '
                       f'fill="{escape(color)}"/>')
        text = pct(value) if value is not None else "n.d."
        out.append(f'<text x="{LABEL_WIDTH + BAR_WIDTH + 6}" y="{y + BAR_HEIGHT - 3}" '
                   f'fill="#1b1b1b">{escape(text)}</text>')
    out.append("</svg>")
    return mark_safe("".join(out))


def sparkline(values: list[tuple[str, float | int]], *, target: float | int | None = None,
              unit: str = "", title: str, color: str = "#0b4f8a",
              uid: str = "trend") -> SafeString:
    """A small line of an indicator's values over time, with its target as a dashed line."""
    uid = _id(uid)
    width, height, pad = SPARK_WIDTH_PX, 36, 4
    desc = "; ".join(f"{p} : {value_text(v, unit)}" for p, v in values) or _("aucune valeur")
    if target is not None:
        desc += " — " + _("cible : %s") % value_text(target, unit)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="spark" role="img" width="{width}" '
           f'height="{height}" viewBox="0 0 {width} {height}" '
           f'aria-labelledby="{uid}-t {uid}-d">',
           f'<title id="{uid}-t">{escape(title)}</title>',
           f'<desc id="{uid}-d">{escape(desc)}</desc>']
    numbers = [float(v) for _, v in values]
    scale = numbers + ([float(target)] if target is not None else [])
    if scale:
        lo, hi = min(scale), max(scale)
        if hi == lo:
            lo, hi = lo - 1, hi + 1

        def y(v: float) -> float:
            return round(height - pad - (v - lo) / (hi - lo) * (height - 2 * pad), 1)

        if target is not None:
            ty = y(float(target))
            out.append(f'<line x1="0" y1="{ty}" x2="{width}" y2="{ty}" stroke="#8a0b0b" '
                       f'stroke-width="1" stroke-dasharray="3 2"/>')
        step = (width - 2 * pad) / max(1, len(numbers) - 1)
        points = [(round(pad + i * step, 1), y(v)) for i, v in enumerate(numbers)]
        if len(points) > 1:
            out.append('<polyline fill="none" stroke="{}" stroke-width="1.5" points="{}"/>'.format(
                escape(color), " ".join(f"{px},{py}" for px, py in points)))
        for px, py in points:
            out.append(f'<circle cx="{px}" cy="{py}" r="2" fill="{escape(color)}"/>')
    out.append("</svg>")
    return mark_safe("".join(out))
