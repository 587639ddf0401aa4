"""Production settings are safe by default and fail fast when a secret is missing."""

import os
import socket
import subprocess
import sys

import pytest

PROD = {"JALON_DEBUG": "0", "JALON_ALLOWED_HOSTS": "jalon.example.be",
        "JALON_SECRET_KEY": "x7Qm2-kP9vR4tY8wZ1aB3cD5eF6gH0jK-LmNoPqRsTuVwXyZ12345678abcdefgh"}


def manage(*args, env):
    full = {k: v for k, v in os.environ.items()
            if not k.startswith("JALON_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    full.update(env)
    full.setdefault("JALON_DATABASE_URL", os.environ.get("JALON_DATABASE_URL",
                                                         "sqlite:////tmp/jalon-check.sqlite3"))
    return subprocess.run([sys.executable, "-m", "jalon.cli", "manage", *args], env=full,
                          capture_output=True, text=True, timeout=120)


def test_check_deploy_is_clean_in_production_settings():
    proc = manage("check", "--deploy", "--fail-level", "WARNING", env=PROD)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "no issues" in proc.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PROD.items() if k != "JALON_SECRET_KEY"}
    proc = manage("check", env=env)
    assert proc.returncode != 0
    assert "JALON_SECRET_KEY" in proc.stderr


def test_a_malformed_boolean_is_refused():
    proc = manage("check", env={"JALON_DEBUG": "maybe"})
    assert proc.returncode != 0 and "JALON_DEBUG" in proc.stderr


def test_a_malformed_number_or_an_incomplete_oidc_setup_is_one_line():
    proc = manage("check", env={"JALON_LOGIN_FAILURE_LIMIT": "five"})
    assert proc.returncode != 0 and "JALON_LOGIN_FAILURE_LIMIT" in proc.stderr.splitlines()[-1]
    proc = manage("check", env={"JALON_OIDC_CLIENT_ID": "jalon"})
    assert proc.returncode != 0 and "JALON_OIDC_ISSUER" in proc.stderr.splitlines()[-1]
    proc = manage("check", env={"JALON_OIDC_CLIENT_ID": "jalon",
                                "JALON_OIDC_ISSUER": "https://login.example/realms/x"})
    assert proc.returncode == 0, proc.stderr


def test_the_shared_cache_of_the_deployment_guide_works():
    """``JALON_CACHE_URL=redis://…`` (docs/settings.md): the processes share one cache."""
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    env = {"JALON_CACHE_URL": "redis://127.0.0.1:6379/15"}
    token = os.urandom(8).hex()
    write = manage("shell", "-c", f"from django.core.cache import cache; "
                   f"cache.set('jalon-test', '{token}', 30)", env=env)
    assert write.returncode == 0, write.stderr
    read = manage("shell", "-c", "from django.core.cache import cache; "
                  "print(cache.get('jalon-test'))", env=env)  # another process
    assert read.returncode == 0 and read.stdout.split()[-1] == token, read.stderr
