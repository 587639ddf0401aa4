"""The signed-in plan pages (tree, dashboard, explorer, timeline, action sheet) rendered once per
plan revision and per kind of viewer, then served from Django's cache.

A page's *body* (its title and ``{% block content %}``) depends on the plan's data, the day
(lateness is judged on today), the language, what the plan hides from this user
(``plans.access.visibility``), the rights that show edit controls or members' details, and the
query string
(filters, search, page).  The key holds exactly these: ``Plan.revision`` and
``Plan.last_modified`` change with every write (``plans.changes``), so a write shows at once;
the visibility (public or member, the hidden keys) and the rights are asked for every request,
so a reader never receives an editor's body nor a member's hidden fields.

The body is rendered without the request: its templates see ``user`` only as a ``Viewer``
(signed in or not), and ``{% csrf_token %}`` writes a placeholder that each response replaces
with the requester's own token.  The page around the body (``base.html``: the user's name,
messages, the language form) is rendered for every request.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse, QueryDict
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from jalon.plans.access import visibility_of
from jalon.plans.models import Plan

TIMEOUT = 24 * 3600
BARE = "jalon/_fragment.html"  # what the page templates extend to give their body alone
MARK = "<!--jalon:body-->"  # between the title and the body in BARE
# where each requester's CSRF token goes in a cached body: derived from the secret key, so no
# text a user writes into a plan can contain it (and have visitors' tokens printed there)
CSRF_PLACEHOLDER = "jaloncsrf" + salted_hmac("jalon.web.fragments", "csrf placeholder").hexdigest()[:24]


@dataclass(frozen=True)
class Viewer:
    """What a cached body may know of the user: signed in or not (the key holds it)."""

    is_authenticated: bool


def known_params(request, names: Iterable[str]) -> QueryDict:
    """The query parameters a page reads (its form's fields, its page number), the others
    dropped: they change nothing, so they must neither make a new cache entry (anyone could
    fill the cache with ``?x=1``, ``?x=2``…) nor be copied into the body's links."""
    names = set(names)
    known = QueryDict(mutable=True)
    for name, values in request.GET.lists():
        if name in names:
            known.setlist(name, values)
    return known


def fragment_key(request, plan: Plan, kind: str, rights: tuple = (),
                 params: QueryDict | None = None) -> str:
    """The cache key of a page body for this request: everything that changes it."""
    # the fields the plan hides from this user (asking whether they are a member only when
    # the plan hides something: a plan that hides nothing costs no query here)
    hidden = sorted(visibility_of(plan, request.user).keys)
    parts = (
        kind, plan.pk, plan.revision, str(plan.last_modified), get_language(),
        timezone.localdate().isoformat(), bool(request.user.is_authenticated), hidden,
        rights, sorted((params if params is not None else QueryDict()).lists()),
    )
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:40]
    return f"jalon:page:{plan.pk}:{digest}"


def cached_page(request, plan: Plan, kind: str, template: str, build: Callable[[], dict], *,
                rights: tuple = (), params: Iterable[str] = ()) -> HttpResponse:
    """The page ``template`` for this request, its body from the cache when it is there.

    ``build()`` gives the template's context (only called on a miss); ``rights`` are the
    user's rights that change what the body shows (edit controls, the journal's authors and the
    history for members), as plain values.  The key holds the fields the plan hides from the
    user, not whether they are a member: a body that shows members anything more (authors)
    must say so in ``rights``.  ``params``: the names of the query parameters the body depends
    on (:func:`known_params`); any other parameter is ignored."""
    known = known_params(request, params)
    key = fragment_key(request, plan, kind, rights, known)
    hit = cache.get(key)
    if hit is None:
        context = build()
        context.update(base=BARE, user=Viewer(bool(request.user.is_authenticated)),
                       csrf_token=CSRF_PLACEHOLDER, params=known)
        title, body = render_to_string(template, context).split(MARK, 1)
        hit = (title.strip(), body)
        cache.set(key, hit, TIMEOUT)
    title, body = hit
    token = get_token(request)
    if CSRF_PLACEHOLDER in body:
        body = body.replace(CSRF_PLACEHOLDER, token)
    if len(get_messages(request)):  # a message to show once: the page shell rendered in full
        return render(request, "jalon/_cached_page.html",
                      {"fragment_title": mark_safe(title), "fragment_body": mark_safe(body)})
    user = request.user
    values = {"title": title, "body": body, "csrf": token,
              "path": escape(request.get_full_path()),
              "username": escape(user.get_username()) if user.is_authenticated else ""}
    return HttpResponse("".join(values[part] if i % 2 else part
                                for i, part in enumerate(_shell(user))))


# -- the page around a cached body -------------------------------------------------------------

_SLOT = "jalonslot{}x"  # letters only: unchanged by the template's escaping
_SLOTS = re.compile("jalonslot(title|body|csrf|path|username)x")
_shells: dict[tuple, list[str]] = {}


class _ShellUser:
    """The user as the page shell sees it: a slot for the name."""

    def __init__(self, user):
        self.is_authenticated = bool(user.is_authenticated)
        self.is_staff = bool(getattr(user, "is_staff", False))

    @staticmethod
    def get_username():
        return _SLOT.format("username")


class _ShellRequest:
    @staticmethod
    def get_full_path():
        return _SLOT.format("path")


def _shell(user) -> list[str]:
    """``jalon/_cached_page.html`` (base.html around a body) rendered once per process for each
    language and kind of user (signed in, staff), split at its slots: text, slot name, text, …
    Each response fills the slots (title, body, the requester's CSRF token, path and name):
    the shell's menus, language list and URLs are not rendered again on every request.  A
    request with messages to show is rendered in full (``cached_page``)."""
    key = (get_language(), bool(user.is_authenticated), bool(getattr(user, "is_staff", False)))
    parts = _shells.get(key)
    if parts is None:
        html = render_to_string("jalon/_cached_page.html", {
            "fragment_title": mark_safe(_SLOT.format("title")),
            "fragment_body": mark_safe(_SLOT.format("body")),
            "csrf_token": _SLOT.format("csrf"), "user": _ShellUser(user),
            "request": _ShellRequest(), "messages": ()})
        parts = _shells[key] = _SLOTS.split(html)
    return parts
