"""The repeated rows of the plan pages (timeline, explorer results, dashboard lists), written
once per request in plain Python.

A template loop of hundreds of rows with filters in every cell (``truncatechars``, ``bedate``,
``node_status``, ``{% url %}``, ``{% blocktranslate %}``) cost most of a page's time; these
functions give the same markup, escaped with ``html.escape``, the labels and plural texts taken
from the same translation strings (``ngettext`` with the templates' msgids).  The templates
print the joined rows with one variable.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from html import escape

from django.urls import reverse
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jalon.core.values import format_date, format_number, format_period
from jalon.plans.models import Node
from jalon.tracking.models import ProgressUpdate

from .templatetags.jalon import colon, num, pct  # the same Belgian formats as the templates

DASH = "—"


def node_url_prefix() -> str:
    """«/nodes/»: a node's sheet is this prefix, its id and a slash (one reversal per page)."""
    return reverse("node_detail", args=[0])[:-2]


def short(text: str, n: int) -> str:
    """``truncatechars:n`` (the same «…» ending), without the work when the text is short."""
    return text if len(text) <= n else Truncator(text).chars(n)


def bedate(d: dt.date | None, empty: str = "") -> str:
    return format_date(d) if d else empty


def status_labels() -> dict[str, str]:
    return {k: str(v) for k, v in Node.Status.choices}


def health_labels() -> dict[str, str]:
    return {k: str(v) for k, v in ProgressUpdate.Health.choices}


def joined(rows: Iterable[str]) -> SafeString:
    return mark_safe("".join(rows))


def node_link(url: str, node, n: int) -> str:
    return (f'<a href="{url}{node.pk}/"><span class="code">{escape(node.code)}</span> '
            f'{escape(short(node.title, n))}</a>')


def owners(node) -> str:
    return escape(", ".join(p.name for p in node.owner_list)) or DASH


# -- timeline ----------------------------------------------------------------------------------

def late_text(days: int) -> str:
    return ngettext("en retard de %(d)s jour", "en retard de %(d)s jours", days) % {
        "d": num(days)}


def timeline_rows(lines) -> SafeString:
    """The table of ``plan_timeline.html``: one row per ``timeline.Line``."""
    url, labels = node_url_prefix(), status_labels()
    done, out = _("terminé"), []
    for ln in lines:
        n = ln.node
        if ln.state == "late":
            slip = f'<strong class="late-text">{late_text(ln.late_days)}</strong>'
        elif ln.state == "done_late":
            slip = ngettext("terminé avec %(d)s jour de retard",
                            "terminé avec %(d)s jours de retard", ln.late_days) % {
                "d": num(ln.late_days)}
        elif ln.state == "done":
            slip = done
        elif ln.state == "closed":
            slip = escape(labels.get(n.state.status, n.state.status))
        else:
            slip = DASH
        cls = ' class="late"' if ln.state == "late" else ""
        out.append(
            f"<tr{cls}>"
            f'<th scope="row">{node_link(url, n, 70)}</th><td>{escape(ln.level)}</td>'
            f"<td>{bedate(n.start_date, DASH)}</td><td>{bedate(n.end_date, DASH)}</td>"
            f"<td>{bedate(ln.actual_start, DASH)}</td><td>{bedate(ln.actual_end, DASH)}</td>"
            f"<td>{slip}</td></tr>\n")
    return joined(out)


def gantt_rows(rows) -> SafeString:
    """The bars of the timeline's chart: one ``<g>`` per ``charts.GanttRow`` (numbers written
    unlocalised, as SVG wants them)."""
    out = []
    for r in rows:
        late = " is-late" if r.key.state in ("late", "done_late") else ""
        y = r.y
        parts = [f'<g class="g-row{late}"><text class="g-label" x="4" y="{y + 14}">'
                 f"{escape(short(r.key.node.code, 12))}</text>"]
        if r.planned:
            parts.append(f'<rect class="g-planned" x="{r.planned.x}" y="{y + 3}" '
                         f'width="{r.planned.w}" height="8"></rect>')
        if r.actual:
            parts.append(f'<rect class="g-actual" x="{r.actual.x}" y="{y + 12}" '
                         f'width="{r.actual.w}" height="7"></rect>')
        if r.slip:
            parts.append(f'<rect class="g-slip" x="{r.slip.x}" y="{y + 3}" '
                         f'width="{r.slip.w}" height="8" fill="url(#hatch)"></rect>')
        parts.append("</g>\n")
        out.append("".join(parts))
    return joined(out)


# -- explorer ----------------------------------------------------------------------------------

def explorer_rows(nodes) -> SafeString:
    """The results of ``plan_explorer.html``: each node with its path, its facts (level, status,
    lateness, health, progress, due date, owners, departments) and where the search found it."""
    url, labels, healths = node_url_prefix(), status_labels(), health_labels()
    where_labels = {"title": _("titre"), "description": _("description"),
                    "comment": _("commentaire"), "journal": _("journal")}
    place, due, found_in = _("Emplacement dans le plan"), _("échéance"), _("Trouvé dans")
    out = []
    for n in nodes:
        parts = ["<li>\n"]
        if n.path:
            crumbs = "".join(f"<li>{node_link(url, a, 50)}</li>" for a in n.path)
            parts.append(f'<nav class="path" aria-label="{escape(place)}"><ol>{crumbs}</ol></nav>\n')
        parts.append(f'<a class="title" href="{url}{n.pk}/"><span class="code">{escape(n.code)}'
                     f"</span> {escape(short(n.title, 160))}</a>\n")
        state = n.state
        meta = [f'{escape(n.level_label)} · <span class="state s-{escape(state.status)}">'
                f"{escape(labels.get(state.status, state.status))}</span>"]
        if state.late and state.days_late:
            meta.append(" (" + ngettext("%(d)s jour", "%(d)s jours", state.days_late) % {
                "d": num(state.days_late)} + ")")
        if n.current_health:
            meta.append(f" · {escape(healths.get(n.current_health, '') or '')}")
        if state.progress is not None:
            meta.append(f" · {pct(state.progress)}")
        if n.end_date:
            meta.append(f" · {escape(due)} {bedate(n.end_date)}")
        if n.owner_list:
            meta.append(" · " + escape(", ".join(p.name for p in n.owner_list)))
        if n.department_list:
            meta.append(" · " + escape(", ".join(d.name for d in n.department_list)))
        parts.append(f'<p class="meta">{"".join(meta)}</p>\n')
        if n.hit:
            where = ", ".join(escape(str(where_labels.get(w, _("code")))) for w in n.hit.where)
            parts.append(f'<p class="meta">{escape(found_in)}{colon()} {where}</p>\n')
            if n.hit.snippet:
                parts.append(f'<blockquote class="snippet">{escape(short(n.hit.snippet, 240))}'
                             "</blockquote>")
        parts.append("</li>")
        out.append("".join(parts))
    return joined(out)


# -- dashboard ---------------------------------------------------------------------------------

def overdue_rows(nodes) -> SafeString:
    url, labels = node_url_prefix(), status_labels()
    return joined(
        f"<tr><td>{node_link(url, n, 90)}</td><td>{bedate(n.end_date)}</td>"
        f'<td class="num">{num(n.state.days_late)}</td>'
        f"<td>{escape(labels.get(n.state.status, n.state.status or ''))}</td>"
        f"<td>{owners(n)}</td></tr>" for n in nodes)


def at_risk_rows(nodes) -> SafeString:
    url, blocked, at_risk = node_url_prefix(), _("Bloqué"), _("À risque")
    return joined(
        f"<tr><td>{node_link(url, n, 90)}</td>"
        f'<td><span class="badge h-{escape(n.current_health or "")}">'
        f'{escape(blocked if n.current_health == "blocked" else at_risk)}</span></td>'
        f"<td>{bedate(n.last_update)}</td><td>{owners(n)}</td></tr>" for n in nodes)


def off_target_rows(statuses, labels: dict) -> SafeString:
    """Indicators off target (``tracking.status`` results) with their labels by status."""
    url, stale = node_url_prefix(), _("sans valeur récente")
    out = []
    for i in statuses:
        ind = i.indicator
        two = "" if i.last_value is None else format_number(float(i.last_value), 2)
        if i.target is not None:
            target = format_number(float(i.target), 2)
        else:
            target = escape(ind.norm_text or ind.target_text or DASH)
        out.append(
            f"<tr><td>{escape(short(ind.name, 90))}</td>"
            f'<td><a href="{url}{ind.node.pk}/#indicator-{ind.pk}"><span class="code">'
            f"{escape(ind.node.code)}</span></a></td>"
            f'<td class="num">{two} {escape(ind.unit)}</td>'
            f"<td>{escape(format_period(i.last_period)) or DASH}</td>"
            f'<td>{target}</td><td><span class="badge st-{escape(i.status)}">'
            f"{escape(str(labels.get(i.status)))}</span>"
            f"{' · ' + escape(stale) if i.stale else ''}</td></tr>")
    return joined(out)


def bar_svg(width: float) -> str:
    """``_bar.html`` with its defaults (240 wide, ``bar-fill``) for a bar ``width`` wide."""
    w = localize(width, use_l10n=False)
    return ('<svg class="bar" width="240" height="14" viewBox="0 0 240 14" aria-hidden="true" '
            'focusable="false"><rect class="bar-bg" width="240" height="14"></rect>'
            f'<rect class="bar-fill" width="{escape(str(w))}" height="14"></rect></svg>\n')


def objective_rows(objectives) -> SafeString:
    """The «Avancement par objectif» table: one row per ``dashboard.Objective`` with its
    status, value, bar and how the value was computed (the inputs, those counted 0 %, those
    excluded); about one list item per action of the plan."""
    url, labels, c = node_url_prefix(), status_labels(), colon()
    # {% translate %} prints its text as it is (the translations are the project's own); the
    # template's «0 %» is the catalogue's «0 %%» (percent signs doubled, restored after)
    weight, excluded = _("poids"), _("exclu")
    zero = _("0 %% (pas commencé)").replace("%%", "%")
    manual, no_manual = _("Valeur manuelle"), _("Aucune valeur manuelle justifiée.")
    declared = _("Avancement déclaré sur l'objectif lui-même")
    own = _("Avancement propre (pas de sous-éléments)")
    out = []
    for o in objectives:
        n, status = o.node, o.node.state.status
        parts = [f'<tr>\n      <th scope="row">{node_link(url, n, 100)}</th>\n'
                 f'      <td><span class="badge s-{escape(str(status))}">'
                 f"{escape(labels.get(status, status or ''))}</span></td>\n"
                 f'      <td class="num">{escape(pct(o.value))}</td>\n'
                 f"      <td>{bar_svg(o.width)}</td>\n      <td>"]
        r = o.rollup
        if r:
            parts.append("\n        ")
            if r.rule == "manual":
                parts.append(f"{manual} — {escape(str(r.justification))}" if r.value is not None
                             else no_manual)
                parts.append("\n        ")
            else:
                count = len(o.inputs)
                parts.append("<details><summary>" + escape_count(ngettext(
                    "%(n)s élément pris en compte", "%(n)s éléments pris en compte", count),
                    count))
                if o.excluded:
                    parts.append(", " + escape_count(ngettext(
                        "%(n)s exclu", "%(n)s exclus", len(o.excluded)), len(o.excluded)))
                parts.append('</summary>\n          <ul class="inputs">')
                parts.extend(f'<li><span class="code">{escape(str(code))}</span>{c} '
                             f"{escape(pct(value))} × {weight} {escape(pct(w))}</li>"
                             for code, value, w in o.inputs)
                parts.append("\n          ")
                parts.extend(f'<li><span class="code">{escape(str(code))}</span>{c} {zero}</li>'
                             for code in o.assumed)
                parts.append("\n          ")
                parts.extend(f'<li><span class="code">{escape(str(code))}</span>{c} {excluded} '
                             f"({escape(str(why))})</li>" for code, why in o.excluded)
                parts.append("</ul>\n        </details>")
            parts.append("\n        ")
            if n.progress is not None and n.progress != o.value:
                parts.append(f'<p class="muted">{declared}{c} {escape(pct(n.progress))}</p>')
            parts.append("\n      ")
        else:
            parts.append(own)
        parts.append("</td>\n    </tr>")
        out.append("".join(parts))
    return joined(out)


def escape_count(text: str, n: int) -> str:
    """A ``{% blocktranslate count n=… %}`` text: the translation as written, ``n`` formatted
    as the template prints a number."""
    return text % {"n": num(n)}
