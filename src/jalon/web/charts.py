"""Geometry of the server-rendered SVG charts (no JavaScript, no inline styles): pure functions.

The templates draw what these return; every chart is shown next to a table with the same figures.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from decimal import Decimal

from jalon.core.values import format_number


def _f(x) -> float:
    return float(x) if x is not None else 0.0


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high] («nice numbers»)."""
    if high <= low:
        high = low + 1
    raw = (high - low) / max(count - 1, 1)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    start = math.floor(low / step) * step
    ticks, t = [], start
    while t < high + step * 0.999:
        ticks.append(round(t, 10))
        t += step
    return ticks


def label(x: float) -> str:
    return format_number(x, 0 if abs(x - round(x)) < 1e-9 else 1)


def bar(value, maximum, width: float = 200) -> float:
    """Width of a horizontal bar for ``value`` on a scale of ``maximum``."""
    if value is None or not maximum:
        return 0.0
    return round(max(0.0, min(1.0, _f(value) / _f(maximum))) * width, 1)


# -- line chart of an indicator: values against targets over time --------------------------------

@dataclass
class LineChart:
    width: int
    height: int
    left: int
    top: int
    plot_w: int
    plot_h: int
    values: str = ""  # polyline points
    dots: list[tuple[float, float, str]] = field(default_factory=list)  # x, y, label
    targets: str = ""
    target_dots: list[tuple[float, float, str]] = field(default_factory=list)
    y_ticks: list[tuple[float, str]] = field(default_factory=list)
    x_ticks: list[tuple[float, str]] = field(default_factory=list)

    @property
    def bottom(self) -> int:
        return self.top + self.plot_h

    @property
    def right(self) -> int:
        return self.left + self.plot_w


def line_chart(values: list[tuple[dt.date, Decimal]], targets: list[tuple[dt.date, Decimal]],
               *, width: int = 560, height: int = 220) -> LineChart | None:
    """Values (a polyline with dots) and targets (a dashed step line) on a shared time axis."""
    if not values and not targets:
        return None
    left, top, right_pad, bottom_pad = 56, 12, 16, 28
    c = LineChart(width, height, left, top, width - left - right_pad, height - top - bottom_pad)
    dates = [d for d, _ in values] + [d for d, _ in targets]
    nums = [_f(v) for _, v in values] + [_f(v) for _, v in targets]
    d0, d1 = min(dates), max(dates)
    if d0 == d1:
        d0, d1 = d0 - dt.timedelta(days=30), d1 + dt.timedelta(days=30)
    span = (d1 - d0).days
    ticks = nice_ticks(min(0.0, min(nums)), max(nums) * 1.05 if max(nums) > 0 else 1.0)
    y0, y1 = ticks[0], ticks[-1]

    def x(d: dt.date) -> float:
        return round(left + (d - d0).days / span * c.plot_w, 1)

    def y(v) -> float:
        return round(top + c.plot_h - (_f(v) - y0) / (y1 - y0) * c.plot_h, 1)

    c.y_ticks = [(y(t), label(t)) for t in ticks]
    years = range(d0.year + (1 if d0 > dt.date(d0.year, 1, 1) else 0), d1.year + 1)
    c.x_ticks = [(x(dt.date(yr, 1, 1)), str(yr)) for yr in years]
    if len(c.x_ticks) > 12:  # long series: every other year
        c.x_ticks = c.x_ticks[::2]
    elif len(c.x_ticks) < 3:  # a year or two: month ticks, at most about six
        months = [dt.date(y, m, 1) for y in range(d0.year, d1.year + 1) for m in range(1, 13)
                  if d0 <= dt.date(y, m, 1) <= d1]
        step = max(1, -(-len(months) // 6))
        c.x_ticks = [(x(m), f"{m.month:02d}/{m.year}") for m in months[::step]]
    pts = sorted(values)
    c.values = " ".join(f"{x(d)},{y(v)}" for d, v in pts)
    c.dots = [(x(d), y(v), label(_f(v))) for d, v in pts]
    tpts = sorted(targets)
    if tpts:
        steps = [(x(tpts[0][0]), y(tpts[0][1]))]
        for (_, v_prev), (d, v) in zip(tpts, tpts[1:], strict=False):
            steps += [(x(d), y(v_prev)), (x(d), y(v))]
        c.targets = " ".join(f"{a},{b}" for a, b in steps)
        c.target_dots = [(x(d), y(v), label(_f(v))) for d, v in tpts]
    return c


# -- Gantt ----------------------------------------------------------------------------------------

@dataclass
class GanttBar:
    x: float
    w: float


@dataclass
class GanttRow:
    key: object
    y: float
    planned: GanttBar | None
    actual: GanttBar | None
    slip: GanttBar | None


@dataclass
class Gantt:
    width: int
    height: int
    left: int
    plot_w: int
    row_h: int
    rows: list[GanttRow]
    years: list[tuple[float, str]]
    today_x: float | None
    top: int = 24


def gantt(rows: list[tuple], start: dt.date, end: dt.date, today: dt.date, *,
          width: int = 960, left: int = 88, row_h: int = 22) -> Gantt:
    """``rows``: (key, planned_start, planned_end, actual_start, actual_end, slip_end).

    The slip runs from the planned end to ``slip_end`` (today for a late item, the completion
    date for one finished late).  Missing starts draw from the end (a milestone), and vice versa.
    """
    plot_w = width - left - 8
    span = max((end - start).days, 1)

    def x(d: dt.date) -> float:
        d = min(max(d, start), end)
        return round(left + (d - start).days / span * plot_w, 1)

    def seg(a: dt.date | None, b: dt.date | None, min_w: float = 3) -> GanttBar | None:
        a, b = a or b, b or a
        if a is None:
            return None
        if b < a:
            a, b = b, a
        xa, xb = x(a), x(b)
        return GanttBar(xa, max(round(xb - xa, 1), min_w))

    top = 24
    out = []
    for i, (key, ps, pe, as_, ae, slip_end) in enumerate(rows):
        slip = seg(pe, slip_end, 0) if pe and slip_end and slip_end > pe else None
        out.append(GanttRow(key, top + i * row_h, seg(ps, pe), seg(as_, ae), slip))
    years = [(x(dt.date(y, 1, 1)), str(y)) for y in range(start.year, end.year + 1)
             if dt.date(y, 1, 1) >= start]
    today_x = x(today) if start <= today <= end else None
    return Gantt(width, top + len(rows) * row_h + 8, left, plot_w, row_h, out, years, today_x,
                 top)
