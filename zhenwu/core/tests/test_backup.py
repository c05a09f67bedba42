"""``zhenwu backup`` / ``zhenwu restore`` end to end, in subprocesses against a database of
their own (a SQLite file copied from the suite's migrated test database; on PostgreSQL a
scratch database), plus the pure migration comparison."""

import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import time
import uuid

import pytest
from django.conf import settings
from django.db import connection

from zhenwu.core import backup
from zhenwu.testing import personas

ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
AUDIT_TABLES = {"core_auditevent", "core_auditchainhead"}
# The subprocesses have databases of their own; the marker makes pytest-django create the
# suite's test database, which the templates below are copied from.
pytestmark = pytest.mark.django_db


def zhenwu_env(home, database_url: str | None = None) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "ZHENWU_TEST_SQLITE", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(ZHENWU_MODE="test", ZHENWU_HOME=str(home), PYTHONUNBUFFERED="1")
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def run_zhenwu(args, env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "zhenwu.cli", *args],
        env=env,
        cwd=env["ZHENWU_HOME"],
        capture_output=True,
        text=True,
        timeout=120,
    )


# --- SQLite ---------------------------------------------------------------------------------


def sqlite_rows(path) -> dict:
    """Every row of every table, in rowid order."""
    with sqlite3.connect(path) as db:
        tables = [
            name
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        query = 'SELECT * FROM "{}" ORDER BY rowid'
        rows = {t: db.execute(query.format(t)).fetchall() for t in tables}
    db.close()
    return rows


def query(path, sql: str) -> list:
    db = sqlite3.connect(path)
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


def without_audit(rows: dict) -> dict:
    """Everything but the audit log (and its row counter), which the restore appends to."""
    rows = {table: data for table, data in rows.items() if table not in AUDIT_TABLES}
    if "sqlite_sequence" in rows:
        rows["sqlite_sequence"] = [r for r in rows["sqlite_sequence"] if r[0] not in AUDIT_TABLES]
    return rows


def change_everything(path) -> None:
    """What an operator would want undone: renamed areas, deleted accounts."""
    with sqlite3.connect(path) as db:
        db.execute("UPDATE areas_area SET name = name || '（改）'")
        db.execute("DELETE FROM accounts_membership")
        db.execute("DELETE FROM accounts_user")
    db.close()


@pytest.fixture(scope="module")
def sqlite_template(tmp_path_factory, django_db_setup, django_db_blocker):
    """A migrated SQLite database with the area tree and accounts. On a SQLite suite it is a
    copy of the suite's test database with the personas (instant); on PostgreSQL, `migrate`,
    `load_areas` and `createuser` in subprocesses."""
    path = tmp_path_factory.mktemp("template") / "zhenwu.sqlite3"
    if ON_POSTGRESQL:
        env = {**zhenwu_env(path.parent), "NEW_PASSWORD": personas.PASSWORD}
        for args in (
            ["migrate", "-v0"],
            ["load_areas", str(personas.AREAS_CSV)],
            ["createuser", "sysadmin", "--area", "360704", "--role", "system_admin"]
            + ["--password-from-env", "NEW_PASSWORD"],
        ):
            result = run_zhenwu(args, env)
            assert result.returncode == 0, result.stderr
        return path
    with django_db_blocker.unblock():
        personas.ensure_world()
        connection.ensure_connection()
        target = sqlite3.connect(path)
        started = time.monotonic()

        def give_up_when_locked(status, remaining, total):
            assert time.monotonic() - started < 10, "the test database stayed locked"

        connection.connection.backup(target, progress=give_up_when_locked)
        target.close()
    return path


@pytest.fixture
def site(tmp_path, sqlite_template):
    """A ZHENWU_HOME with its own copy of the template database."""
    home = tmp_path / "home"
    home.mkdir()
    shutil.copyfile(sqlite_template, home / "zhenwu.sqlite3")
    return home


@pytest.fixture(scope="module")
def template_backup(tmp_path_factory, sqlite_template):
    """`zhenwu backup -o` of the template, made once for the refusal tests."""
    home = tmp_path_factory.mktemp("backup-home")
    shutil.copyfile(sqlite_template, home / "zhenwu.sqlite3")
    target = home / "saved" / "zhenwu.sqlite3"
    result = run_zhenwu(["backup", "-o", str(target)], zhenwu_env(home))
    assert result.returncode == 0, result.stderr
    return target


def copy_backup(source, directory):
    directory.mkdir(exist_ok=True)
    target = directory / source.name
    shutil.copyfile(source, target)
    shutil.copyfile(backup.manifest_path_for(source), backup.manifest_path_for(target))
    return target


def test_sqlite_backup_and_restore_bring_the_data_back_exactly(site):
    env = zhenwu_env(site)
    live = site / "zhenwu.sqlite3"
    original = sqlite_rows(live)
    assert original["areas_area"] and original["accounts_user"]

    result = run_zhenwu(["backup"], env)
    assert result.returncode == 0, result.stderr
    assert "ZHENWU_DATA_KEYS" in result.stdout  # the reminder: keys are not in the backup
    (saved,) = (site / "backups").glob("zhenwu-*.sqlite3")
    manifest = json.loads(backup.manifest_path_for(saved).read_text())
    assert manifest["engine"] == "sqlite"
    assert manifest["sha256"] == backup.sha256_of(saved)
    assert manifest["row_counts"]["areas.Area"] == len(original["areas_area"])
    assert manifest["row_counts"]["accounts.User"] == len(original["accounts_user"])
    assert "0001_initial" in manifest["migrations_applied"]["core"]
    assert manifest["migration_heads"]["core"]
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    key = settings.DATA_KEYS.partition(":")[2].encode()
    assert key not in saved.read_bytes() and key.decode() not in json.dumps(manifest)
    created = sqlite_rows(live)["core_auditevent"][-1]
    assert "core.backup_created" in created and "cli" in created

    change_everything(live)
    assert without_audit(sqlite_rows(live)) != without_audit(original)
    result = run_zhenwu(["restore", str(saved), "--yes"], env)
    assert result.returncode == 0, result.stderr

    restored = sqlite_rows(live)
    assert without_audit(restored) == without_audit(original)
    # The backup's audit rows come back, and the restore is appended to that chain.
    events = restored["core_auditevent"]
    assert events[:-1] == original["core_auditevent"]
    columns = [column[1] for column in query(live, "PRAGMA table_info(core_auditevent)")]
    last = dict(zip(columns, events[-1], strict=True))
    assert last["event"] == "core.backup_restored" and last["username"] == "cli"
    assert last["previous_hash"] == (original["core_auditchainhead"] or [(1, "0" * 64)])[0][1]
    assert restored["core_auditchainhead"][0][1] == last["hash"]
    # The database as it was before the restore was saved first.
    (safety,) = (site / "backups").glob("zhenwu-pre-restore-*.sqlite3")
    assert sqlite_rows(safety)["accounts_user"] == []


def test_sqlite_backup_runs_while_another_connection_is_writing(site):
    """Like a running server: a write transaction stays open during the backup. The backup
    holds the committed state; the command then waits for the lock only to write its audit
    row."""
    live = site / "zhenwu.sqlite3"
    target = site / "during-write.sqlite3"
    server = sqlite3.connect(live, isolation_level=None)
    server.execute("PRAGMA journal_mode=WAL")
    server.execute("BEGIN IMMEDIATE")
    server.execute("UPDATE areas_area SET name = '未提交的改动'")
    command = subprocess.Popen(
        [sys.executable, "-m", "zhenwu.cli", "backup", "-o", str(target)],
        env=zhenwu_env(site),
        cwd=site,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not target.exists() and command.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert target.exists(), command.stderr.read() if command.poll() is not None else ""
    finally:
        server.execute("COMMIT")
        server.close()
    _, errors = command.communicate(timeout=60)
    assert command.returncode == 0, errors
    assert query(target, "SELECT COUNT(*) FROM areas_area WHERE name = '未提交的改动'") == [(0,)]
    assert query(live, "SELECT event FROM core_auditevent ORDER BY id DESC LIMIT 1") == [
        ("core.backup_created",)
    ]


def test_restore_without_yes_shows_what_would_be_replaced_and_changes_nothing(
    site, template_backup
):
    live = site / "zhenwu.sqlite3"
    change_everything(live)
    before = sqlite_rows(live)
    result = run_zhenwu(["restore", str(template_backup)], zhenwu_env(site))
    assert result.returncode != 0
    assert "--yes" in result.stderr
    assert "areas.Area" in result.stdout and str(live) in result.stdout
    assert sqlite_rows(live) == before
    assert not (site / "backups").exists()  # not even a safety backup


def test_restore_refuses_a_tampered_backup_and_changes_nothing(site, template_backup, tmp_path):
    tampered = copy_backup(template_backup, tmp_path / "copy")
    data = bytearray(tampered.read_bytes())
    data[len(data) // 2] ^= 0x01
    tampered.write_bytes(bytes(data))
    live = site / "zhenwu.sqlite3"
    change_everything(live)
    before = sqlite_rows(live)
    result = run_zhenwu(["restore", str(tampered), "--yes"], zhenwu_env(site))
    assert result.returncode != 0
    assert "sha256" in result.stderr
    assert sqlite_rows(live) == before


def test_restore_refuses_a_backup_of_newer_code(site, template_backup, tmp_path):
    newer = copy_backup(template_backup, tmp_path / "copy")
    manifest_file = backup.manifest_path_for(newer)
    manifest = json.loads(manifest_file.read_text())
    manifest["migrations_applied"]["core"].append("9999_from_the_future")
    manifest_file.write_text(json.dumps(manifest))
    live = site / "zhenwu.sqlite3"
    before = sqlite_rows(live)
    result = run_zhenwu(["restore", str(newer), "--yes"], zhenwu_env(site))
    assert result.returncode != 0
    assert "core.9999_from_the_future" in result.stderr
    assert sqlite_rows(live) == before


def test_backup_refuses_to_overwrite_a_file(site):
    existing = site / "taken.sqlite3"
    existing.write_bytes(b"keep me")
    result = run_zhenwu(["backup", "-o", str(existing)], zhenwu_env(site))
    assert result.returncode != 0
    assert existing.read_bytes() == b"keep me"


# --- migrations (no database) ---------------------------------------------------------------


def code_migrations() -> dict[str, list[str]]:
    loader = backup._graph_loader()
    applied: dict[str, list[str]] = {}
    for app, name in loader.graph.nodes:
        applied.setdefault(app, []).append(name)
    return applied


def test_a_backup_at_the_code_level_needs_nothing():
    assert backup.compare_migrations(code_migrations()) == ([], [])


def test_an_older_backup_needs_migrate_and_a_newer_one_is_unknown():
    applied = code_migrations()
    heads = backup.migration_heads(applied)
    (core_head,) = heads["core"]
    applied["core"].remove(core_head)
    applied["registry"].append("9999_from_the_future")
    unknown, pending = backup.compare_migrations(applied)
    assert unknown == ["registry.9999_from_the_future"]
    assert f"core.{core_head}" in pending


def test_a_missing_pg_dump_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(backup.shutil, "which", lambda name: None)
    with pytest.raises(backup.BackupError, match="pg_dump"):
        backup._pg_program("pg_dump")


# --- PostgreSQL -----------------------------------------------------------------------------


def pg_rows(cursor) -> dict:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1")
    tables = [name for (name,) in cursor.fetchall()]
    rows = {}
    for table in tables:
        cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608
        rows[table] = sorted(cursor.fetchall(), key=repr)
    return rows


@pytest.fixture
def scratch_postgresql(django_db_setup, django_db_blocker):
    """A scratch database holding a copy of the suite's migrated test database."""
    import psycopg

    params = dict(connection.settings_dict)
    name = f"zhenwu_backup_{uuid.uuid4().hex[:10]}"
    admin = psycopg.connect(
        host=params["HOST"] or "127.0.0.1",
        port=params["PORT"] or 5432,
        user=params["USER"],
        password=params["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    admin.execute(f'CREATE DATABASE "{name}"')
    env = {**os.environ, "PGHOST": params["HOST"] or "127.0.0.1", "PGUSER": params["USER"]}
    env.update(PGPORT=str(params["PORT"] or 5432), PGPASSWORD=params["PASSWORD"] or "")
    with django_db_blocker.unblock():
        personas.ensure_world()
    copy = subprocess.run(
        f'pg_dump -Fc "{params["NAME"]}" | pg_restore --no-owner -d "{name}"',
        shell=True,
        env=env,
        capture_output=True,
        text=True,
    )
    assert copy.returncode == 0, copy.stderr
    url = f"postgres://{params['USER']}:not-a-real-secret@{env['PGHOST']}:{env['PGPORT']}/{name}"
    try:
        yield url, psycopg.connect(url, autocommit=True)
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.mark.skipif(not ON_POSTGRESQL, reason="DATABASE_URL is not PostgreSQL")
def test_postgresql_backup_and_restore_bring_the_data_back_exactly(scratch_postgresql, tmp_path):
    url, db = scratch_postgresql
    env = zhenwu_env(tmp_path, database_url=url)
    with db.cursor() as cursor:
        original = pg_rows(cursor)
    assert original["areas_area"] and original["accounts_user"]

    result = run_zhenwu(["backup", "-o", str(tmp_path / "site.dump")], env)
    assert result.returncode == 0, result.stderr
    manifest = json.loads((tmp_path / "site.dump.json").read_text())
    assert manifest["engine"] == "postgresql"
    assert manifest["row_counts"]["areas.Area"] == len(original["areas_area"])
    assert "not-a-real-secret" not in result.stdout + result.stderr + json.dumps(manifest)

    with db.cursor() as cursor:
        cursor.execute("UPDATE areas_area SET name = name || '（改）'")
        cursor.execute("DELETE FROM accounts_membership")
        cursor.execute("CREATE TABLE from_a_newer_migration (id int)")
    result = run_zhenwu(["restore", str(tmp_path / "site.dump"), "--yes"], env)
    assert result.returncode == 0, result.stderr
    assert "not-a-real-secret" not in result.stdout + result.stderr

    with db.cursor() as cursor:
        restored = pg_rows(cursor)
    assert without_audit(restored) == without_audit(original)
    events = restored["core_auditevent"]
    # The dump was taken before `core.backup_created` was written: only the restore is new.
    assert len(events) == len(original["core_auditevent"]) + 1
    with db.cursor() as cursor:
        cursor.execute("SELECT event FROM core_auditevent ORDER BY id DESC LIMIT 1")
        assert cursor.fetchone()[0] == "core.backup_restored"
    assert list((tmp_path / "backups").glob("zhenwu-pre-restore-*.dump"))
