"""Settings from the environment, checked in fresh interpreters (settings load once per
process): production refuses to start without its secrets and passes ``check --deploy``."""

import base64
import os
import secrets
import subprocess
import sys

import pytest

SECRETS = {"SECRET_KEY", "ZHENWU_DATA_KEYS", "ZHENWU_INDEX_KEY"}
# Set for the suite (DATABASE_URL in CI, DJANGO_ALLOW_ASYNC_UNSAFE by the browser tests); a
# fresh production process must not inherit them.
LEAKED_BY_TESTS = {
    "DATABASE_URL",
    "ZHENWU_MODE",
    "DEBUG",
    "ZHENWU_TEST_SQLITE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}
SHOW_SETTINGS = (
    "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'zhenwu.settings'; "
    "django.setup(); from django.conf import settings as s; "
    "print(s.MODE, s.DEBUG, s.DATABASES['default']['NAME'], s.LANGUAGE_CODE, s.TIME_ZONE)"
)


def clean_env(home, **values) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in SECRETS | LEAKED_BY_TESTS
        and not k.startswith(("ZHENWU_HSTS", "ZHENWU_SSL", "ZHENWU_SECURE"))
    }
    env.update(ZHENWU_HOME=str(home), DJANGO_SETTINGS_MODULE="zhenwu.settings", **values)
    return env


def production_secrets() -> dict:
    def key() -> str:
        return base64.b64encode(os.urandom(32)).decode()

    return {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ZHENWU_DATA_KEYS": f"1:{key()}",
        "ZHENWU_INDEX_KEY": key(),
    }


def python(code: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize("missing", sorted(SECRETS))
def test_production_refuses_to_start_without_each_secret(tmp_path, missing):
    values = {k: v for k, v in production_secrets().items() if k != missing}
    result = python(SHOW_SETTINGS, clean_env(tmp_path, ZHENWU_MODE="production", **values))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and missing in result.stderr


def test_production_is_the_default_mode(tmp_path):
    result = python(SHOW_SETTINGS, clean_env(tmp_path))
    assert result.returncode != 0
    assert all(name in result.stderr for name in SECRETS)


def test_production_with_secrets_starts_with_debug_off(tmp_path):
    env = clean_env(tmp_path, ZHENWU_MODE="production", **production_secrets())
    result = python(SHOW_SETTINGS, env)
    assert result.returncode == 0, result.stderr
    mode, debug, database, language, zone = result.stdout.split()
    assert (mode, debug, language, zone) == ("production", "False", "zh-hans", "Asia/Shanghai")
    assert database == str(tmp_path / "zhenwu.sqlite3")


def test_demo_mode_uses_its_own_database_file_and_development_secrets(tmp_path):
    result = python(SHOW_SETTINGS, clean_env(tmp_path, ZHENWU_MODE="demo"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[2] == str(tmp_path / "demo.sqlite3")


def test_an_unknown_mode_is_refused(tmp_path):
    result = python(SHOW_SETTINGS, clean_env(tmp_path, ZHENWU_MODE="staging"))
    assert result.returncode != 0 and "ZHENWU_MODE" in result.stderr


def test_database_url_selects_postgresql(tmp_path):
    url = "postgres://zhenwu:pw@db.internal:5432/zhenwu"
    result = python(SHOW_SETTINGS, clean_env(tmp_path, ZHENWU_MODE="demo", DATABASE_URL=url))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[2] == "zhenwu"


def test_check_deploy_is_clean_for_a_documented_production_configuration(tmp_path):
    """The variables docs/operations.md lists for a site behind a TLS proxy."""
    env = clean_env(
        tmp_path,
        ZHENWU_MODE="production",
        ALLOWED_HOSTS="zhenwu.example.org",
        CSRF_TRUSTED_ORIGINS="https://zhenwu.example.org",
        ZHENWU_BEHIND_TLS_PROXY="1",
        ZHENWU_SSL_REDIRECT="1",
        ZHENWU_HSTS_SECONDS="31536000",
        ZHENWU_HSTS_INCLUDE_SUBDOMAINS="1",
        ZHENWU_HSTS_PRELOAD="1",
        **production_secrets(),
    )
    result = subprocess.run(
        [sys.executable, "-m", "zhenwu.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
