"""Roll-up of progress from children to parents, by an explicit rule chosen per plan.

Pure functions on plain data: ``rollup(items, rule)`` returns the figure *and* how it was made
(rule, inputs, weights used, exclusions), so every rolled-up figure can show its workings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

EXCLUDED_STATUSES = frozenset({"stopped", "lapsed"})


@dataclass(frozen=True)
class Item:
    code: str
    progress: Decimal | None
    weight: Decimal | None = None
    status: str = ""


@dataclass
class Rollup:
    rule: str
    value: Decimal | None
    inputs: list[tuple[str, Decimal, Decimal]] = field(default_factory=list)  # code, value, weight
    excluded: list[tuple[str, str]] = field(default_factory=list)  # code, reason
    justification: str = ""
    assumed: list[str] = field(default_factory=list)  # codes counted 0 % (no figure yet)

    def explain(self) -> str:
        parts = [f"{c}: {v} % × {w:.3f}" for c, v, w in self.inputs]
        text = f"{self.rule} = {self.value if self.value is not None else '—'}"
        if parts:
            text += " (" + "; ".join(parts) + ")"
        if self.assumed:
            text += " — 0 % (pas commencé) : " + ", ".join(self.assumed)
        if self.excluded:
            text += " — exclus : " + ", ".join(f"{c} ({r})" for c, r in self.excluded)
        if self.justification:
            text += f" — {self.justification}"
        return text


def _q(x: Decimal) -> Decimal:
    return x.quantize(Decimal("0.01"))


def rollup(items: list[Item], rule: str = "mean", *, manual: Decimal | None = None,
           justification: str = "") -> Rollup:
    """Combine children's progress.

    - ``mean``: plain mean of the children that have a progress.
    - ``weighted``: weights normalised to sum to 1 (a child without weight counts 1).
    - ``manual``: the given value, which requires a justification.
    Stopped and lapsed children are excluded (and listed); a child without a figure counts
    0 % (not started: listed in ``assumed``), or 100 % when it is done — so a first progress
    recorded on a child never lowers its parent.
    """
    if rule == "manual":
        if manual is None or not justification.strip():
            raise ValueError("a manual roll-up needs a value and a justification")
        return Rollup("manual", _q(Decimal(manual)), justification=justification.strip())
    if rule not in {"mean", "weighted"}:
        raise ValueError(f"unknown roll-up rule {rule!r}")
    kept: list[tuple[str, Decimal, Decimal]] = []
    excluded: list[tuple[str, str]] = []
    assumed: list[str] = []
    for it in items:
        if it.status in EXCLUDED_STATUSES:
            excluded.append((it.code, it.status))
            continue
        w = Decimal(1) if rule == "mean" or it.weight is None else Decimal(it.weight)
        if w < 0:
            raise ValueError(f"negative weight for {it.code}")
        if it.progress is not None:
            value = Decimal(it.progress)
        elif it.status == "done":
            value = Decimal(100)
        else:
            value = Decimal(0)
            assumed.append(it.code)
        kept.append((it.code, value, w))
    total = sum((w for _, _, w in kept), Decimal(0))
    if not kept or total == 0:
        return Rollup(rule, None, [], excluded, assumed=assumed)
    normalised = [(c, v, w / total) for c, v, w in kept]
    value = sum((v * w for _, v, w in normalised), Decimal(0))
    return Rollup(rule, _q(value), normalised, excluded, assumed=assumed)
