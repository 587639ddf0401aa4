"""Translation of the importer's messages without making the ingest package depend on Django.

Messages are written in French and marked with ``_()``; ``_`` translates with Django's gettext
when Django is configured (the web import and ``jalon import`` run with the user's language
active) and returns the French text otherwise (pure-Python use, tests without settings).
``makemessages`` finds the ``_()`` calls like any other; translations live in
``src/jalon/locale/{nl,en}/LC_MESSAGES/django.po``.
"""

from __future__ import annotations


def _(message: str) -> str:
    try:
        from django.conf import settings

        if settings.configured:
            from django.apps import apps

            if apps.ready:
                from django.utils.translation import gettext

                return gettext(message)
    except Exception:  # Django absent or half-configured: French
        pass
    return message


__all__ = ["_"]
