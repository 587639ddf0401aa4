"""The WSGI application (gunicorn: ``jalon.wsgi:application``; ``jalon serve`` does it all)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jalon.settings")
application = get_wsgi_application()


def _static_files_are_collected() -> None:
    """In production the pages name hashed static files: without ``collectstatic`` every page
    would be a 500.  Refuse to start instead, with the remedy in one line."""
    from django.conf import settings

    if settings.DEBUG:
        return
    manifest = settings.STATIC_ROOT / "staticfiles.json"
    if not manifest.exists():
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            f"static files are not collected in {settings.STATIC_ROOT}: run "
            "«jalon manage collectstatic --no-input» (jalon serve does it)")


_static_files_are_collected()
