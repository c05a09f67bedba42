"""The ``zhenwu`` commands: demo (end to end, in subprocesses), serve, worker, createuser."""

import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import urllib.request

import pytest
from django.core.management import CommandError, call_command
from django_tasks import task

from zhenwu import cli
from zhenwu.accounts.models import User
from zhenwu.accounts.roles import Role
from zhenwu.core.models import AuditEvent
from zhenwu.demo.accounts import DEMO_ACCOUNTS

DEMO_HOUSEHOLDS = 120
PASSWORD = "Kaoqin-2023!x"


def zhenwu_env(home, **extra) -> dict:
    """A clean environment for a subprocess: its own ZHENWU_HOME and SQLite file, even when
    the suite itself runs on PostgreSQL (DATABASE_URL is dropped)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DATABASE_URL",
            "ZHENWU_MODE",
            "ZHENWU_TEST_SQLITE",
            "DJANGO_SETTINGS_MODULE",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env.update(ZHENWU_HOME=str(home), PYTHONUNBUFFERED="1", **extra)
    return env


def run_zhenwu(args, env, cwd, timeout=120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "zhenwu.cli", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory):
    """`zhenwu demo --no-serve` once for the module: migrate, build, collectstatic."""
    home = tmp_path_factory.mktemp("demo-home")
    result = run_zhenwu(
        ["demo", "--no-serve", "--households", str(DEMO_HOUSEHOLDS)], zhenwu_env(home), home
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return home, result.stdout


def count_households(home) -> int:
    with sqlite3.connect(home / "demo.sqlite3") as connection:
        return connection.execute("SELECT COUNT(*) FROM registry_household").fetchone()[0]


# --- zhenwu demo ------------------------------------------------------------------------------


@pytest.mark.slow
def test_demo_no_serve_builds_the_town_and_prints_the_accounts(demo_home):
    home, output = demo_home
    assert count_households(home) == DEMO_HOUSEHOLDS
    for account in DEMO_ACCOUNTS:
        assert account.username in output and account.password in output
    manifest = json.loads((home / "static" / "staticfiles.json").read_text())
    assert "zhenwu/zhenwu.css" in manifest["paths"]
    assert (home / "demo" / "shadi-demo-households.xlsx").exists()


@pytest.mark.slow
@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_demo_serves_with_gunicorn_and_a_worker_until_interrupted(demo_home, stop_signal):
    home, _ = demo_home
    port = free_port()
    demo = subprocess.Popen(
        [sys.executable, "-m", "zhenwu.cli", "demo", "--port", str(port)],
        env=zhenwu_env(home),
        cwd=home,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        seen = []
        for line in demo.stdout:  # gunicorn logs to the same stream once it listens
            seen.append(line)
            if "Listening at" in line:
                break
        assert any(f"http://127.0.0.1:{port}/" in line for line in seen), "".join(seen)
        assert "演示数据已存在" in "".join(seen)  # the second run does not rebuild
        login = urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=60)
        page = login.read().decode()
        assert login.status == 200 and "演示模式" in page
        stylesheet = re.search(r'href="(/static/zhenwu/zhenwu\.[0-9a-f]+\.css)"', page).group(1)
        assert urllib.request.urlopen(f"http://127.0.0.1:{port}{stylesheet}").status == 200
        demo.send_signal(stop_signal)
        output, _ = demo.communicate(timeout=60)
        assert demo.returncode == 0, output
        assert "Shutting down: Master" in output  # gunicorn stopped, not orphaned
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=5).close()
    finally:
        if demo.poll() is None:
            demo.kill()
            demo.communicate()


@pytest.mark.slow
def test_worker_runs_a_queued_task_with_the_database_backend(demo_home):
    home, _ = demo_home
    script = (
        "import os, django; os.environ['DJANGO_SETTINGS_MODULE'] = 'zhenwu.settings'; "
        "django.setup(); "
        "from django.core.management import call_command; "
        "from zhenwu.core.tests.test_cli import add; "
        "result = add.enqueue(2, 3); "
        "call_command('worker', batch=True, startup_delay=False, verbosity=0); "
        "result.refresh(); print(result.status, result.return_value)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=zhenwu_env(home, ZHENWU_MODE="demo"),
        cwd=home,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["SUCCESSFUL", "5"]


@task()
def add(a: int, b: int) -> int:
    """A task for the worker test above."""
    return a + b


def test_demo_refuses_a_production_configuration(monkeypatch, capsys):
    monkeypatch.setenv("ZHENWU_MODE", "production")
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["demo", "--no-serve"])
    assert exit_info.value.code == 2
    assert "ZHENWU_MODE=production" in capsys.readouterr().err


def test_demo_refuses_production_mode_from_the_command_line(tmp_path):
    result = run_zhenwu(
        ["demo", "--no-serve"], zhenwu_env(tmp_path, ZHENWU_MODE="production"), tmp_path
    )
    assert result.returncode == 2
    assert not (tmp_path / "demo.sqlite3").exists()


def test_demo_reset_on_another_database_needs_yes(tmp_path):
    """Never empties a server database by accident (the URL points nowhere: no connection
    is made before the refusal)."""
    env = zhenwu_env(tmp_path, DATABASE_URL="postgres://nobody@127.0.0.1:9/nowhere")
    result = run_zhenwu(["demo", "--no-serve", "--reset"], env, tmp_path)
    assert result.returncode == 1
    assert "--yes" in result.stderr


def test_demo_command_itself_refuses_outside_demo_mode():
    with pytest.raises(CommandError, match="ZHENWU_MODE=demo"):
        call_command("demo", no_serve=True)


# --- zhenwu serve -------------------------------------------------------------------------------


def test_serve_replaces_itself_with_gunicorn(monkeypatch):
    calls = []
    monkeypatch.setattr(os, "execv", lambda path, argv: calls.append((path, argv)))
    call_command("serve", bind="127.0.0.1:9123", workers=3, threads=2)
    ((path, argv),) = calls
    assert path == sys.executable
    assert argv[1:4] == ["-m", "gunicorn", "zhenwu.wsgi:application"]
    joined = " ".join(argv)
    assert "--bind 127.0.0.1:9123" in joined and "--workers 3" in joined
    assert "--threads 2" in joined and "--access-logfile" not in joined


def test_serve_rejects_zero_workers():
    with pytest.raises(CommandError):
        call_command("serve", workers=0)


# --- zhenwu createuser ----------------------------------------------------------------------


@pytest.mark.django_db
def test_createuser_creates_an_auditor_with_a_password_from_the_environment(monkeypatch, world):
    monkeypatch.setenv("NEW_PASSWORD", PASSWORD)
    call_command(
        "createuser", "audit2", area="360704", role="auditor", password_from_env="NEW_PASSWORD"
    )
    user = User.objects.get(username="audit2")
    assert user.check_password(PASSWORD) and user.must_change_password
    assert user.memberships.get().role == Role.AUDITOR
    event = AuditEvent.objects.filter(event="accounts.user_created").latest("id")
    assert event.data == {"username": "audit2", "role": "auditor", "area": "360704"}


@pytest.mark.django_db
def test_createuser_prompts_for_the_password(monkeypatch, world):
    monkeypatch.setattr("getpass.getpass", lambda prompt="": PASSWORD)
    call_command("createuser", "sec2", area="360704", role="security_admin")
    assert User.objects.get(username="sec2").check_password(PASSWORD)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("username", "area", "password", "message"),
    [
        ("new1", "999999", PASSWORD, "no current area"),
        ("new2", "360704", "short", "password rejected"),
        ("township", "360704", PASSWORD, "already exists"),  # a persona
    ],
)
def test_createuser_refuses_bad_input(monkeypatch, world, username, area, password, message):
    monkeypatch.setenv("NEW_PASSWORD", password)
    with pytest.raises(CommandError, match=message):
        call_command(
            "createuser", username, area=area, role="system_admin", password_from_env="NEW_PASSWORD"
        )
    assert not User.objects.filter(username__in=["new1", "new2"]).exists()


@pytest.mark.django_db
def test_createuser_refuses_mismatched_prompts(monkeypatch, world):
    answers = iter([PASSWORD, PASSWORD + "x"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    with pytest.raises(CommandError, match="do not match"):
        call_command("createuser", "new3", area="360704", role="auditor")


@pytest.mark.slow
def test_demo_reset_deletes_the_sqlite_files_and_rebuilds(demo_home):
    """Last in the module: it replaces the shared demo with a smaller one."""
    home, _ = demo_home
    (home / "demo.sqlite3-wal").write_bytes(b"")  # stale WAL files must go too
    result = run_zhenwu(
        ["demo", "--no-serve", "--reset", "--households", "20"], zhenwu_env(home), home
    )
    assert result.returncode == 0, result.stderr
    assert "已删除" in result.stdout
    assert count_households(home) == 20
