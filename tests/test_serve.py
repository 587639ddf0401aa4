"""`jalon serve` in production: static files collected, gunicorn, compressed and cached static
files; a WSGI start without collected static files refuses with one line."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request

from samples import free_port
from test_settings import PROD


def _env(tmp_path, **extra):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("JALON_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(PROD, JALON_VAR_DIR=str(tmp_path / "var"), JALON_SSL_REDIRECT="0",
               JALON_DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
               JALON_WEB_WORKERS="1", JALON_WEB_THREADS="2", PYTHONPATH="src")
    env.update(extra)
    return env


def _get(url, **headers):
    req = urllib.request.Request(url, headers={"Host": "jalon.example.be", **headers})
    try:
        return urllib.request.urlopen(req, timeout=10)
    except urllib.error.HTTPError as exc:
        return exc


def test_production_serve_collects_static_files_and_runs_gunicorn(tmp_path):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "jalon.cli", "serve", f"127.0.0.1:{port}"],
                            env=_env(tmp_path), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                home = _get(f"http://127.0.0.1:{port}/public/")
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(proc.stdout.read()) from None
                time.sleep(0.5)
        assert home.status == 200
        page = home.read().decode()
        css = re.search(r'href="(/static/jalon/jalon\.[0-9a-f]{12}\.css)"', page).group(1)
        r = _get(f"http://127.0.0.1:{port}{css}", **{"Accept-Encoding": "gzip"})
        assert r.status == 200 and r.headers["Content-Encoding"] == "gzip"
        assert "immutable" in r.headers["Cache-Control"]
        assert _get(f"http://127.0.0.1:{port}/favicon.ico").status == 200
        assert (tmp_path / "var" / "static" / "staticfiles.json").exists()
    finally:
        proc.terminate()
        out = proc.communicate(timeout=30)[0]
    assert "gunicorn" in out.lower() and "Traceback" not in out


def test_production_serve_refuses_in_one_line_when_static_files_cannot_be_written(tmp_path):
    (tmp_path / "file").write_text("not a folder")
    env = _env(tmp_path, JALON_VAR_DIR=str(tmp_path / "file" / "var"))
    proc = subprocess.run([sys.executable, "-m", "jalon.cli", "serve", "127.0.0.1:1"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0
    err = proc.stderr.strip().splitlines()
    assert len(err) == 1 and "cannot write the static files" in err[0], proc.stderr


def test_a_wsgi_server_started_before_collectstatic_refuses_in_one_line(tmp_path):
    proc = subprocess.run([sys.executable, "-c", "import jalon.wsgi"], env=_env(tmp_path),
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0
    assert "static files are not collected" in proc.stderr.strip().splitlines()[-1]
