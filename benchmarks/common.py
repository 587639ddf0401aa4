"""Shared by the database benchmarks: run a function once per database, each in a fresh test
database (SQLite file, then the local PostgreSQL), in a subprocess so settings are read anew."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable

# the PostgreSQL database's name is given by JALON_BENCH_POSTGRES (each helper has its own);
# the benchmark runs in a fresh «test_<name>» copy of it
DATABASES = ("sqlite:////tmp/jalon-bench.sqlite3",
             os.environ.get("JALON_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432/test"))


def per_database(script: str, argv: list[str], body: Callable[[], None]) -> None:
    """In the parent: re-run ``script`` once per database; in the child: run ``body``."""
    if "--one" in argv:
        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jalon.settings")
        django.setup()
        from django.db import connection
        from django.test.utils import setup_test_environment

        setup_test_environment()
        old_name = connection.settings_dict["NAME"]
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            body()
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
        return
    only = os.environ.get("JALON_BENCH_ONLY")  # "sqlite" or "postgres": one of them
    for url in DATABASES:
        if only and not url.startswith(only):
            continue
        env = dict(os.environ, JALON_DATABASE_URL=url)
        subprocess.run([sys.executable, script, "--one", *argv], env=env, check=False)
