"""Backup and restore of the whole database (SECURITY.md 20).

SQLite: the online backup API (``sqlite3.Connection.backup``) copies a consistent snapshot
while the server keeps running. PostgreSQL: ``pg_dump --format=custom`` under an exported
snapshot, restored with ``pg_restore --clean``. Beside every backup file lies a JSON manifest
(engine, time, Django migrations, row counts of key tables, sha256 of the file, fingerprints
of the keys). A restore verifies the sha256 first and refuses a backup made by newer code.

The field-encryption keys are never part of a backup: they live in the environment
(``ZHENWU_DATA_KEYS``, ``ZHENWU_INDEX_KEY``) and must be kept apart (docs/operations.md).
"""

import base64
import hashlib
import hmac
import json
import logging
import os
import shutil
import sqlite3
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connections
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.translation import gettext as _

from zhenwu.core import audit

logger = logging.getLogger(__name__)

MANIFEST_FORMAT = 1
BACKUP_DIR_NAME = "backups"
# Counted into the manifest so that a human can tell backups apart and check a restore.
KEY_MODELS = (
    "areas.Area",
    "accounts.User",
    "registry.Household",
    "registry.Person",
    "monitoring.MonitoringCase",
    "core.AuditEvent",
)
SQLITE_LOCK_TIMEOUT_SECONDS = 60
SUFFIXES = {"sqlite": ".sqlite3", "postgresql": ".dump"}
_KEY_CHECK_MESSAGE = b"zhenwu backup key fingerprint"
# libpq options that may sit in DATABASES OPTIONS; each has a PG<NAME> environment variable.
_PG_CONNECTION_OPTIONS = ("sslmode", "sslrootcert", "sslcert", "sslkey", "passfile", "service")


class BackupError(Exception):
    """A backup or restore that cannot go ahead; ``message`` is translated."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class BackupResult:
    path: Path
    manifest_path: Path
    manifest: dict


@dataclass
class RestoreResult:
    safety_backup: BackupResult | None
    audited: bool


@dataclass
class RestorePlan:
    path: Path
    manifest: dict
    target: str
    current_counts: dict
    pending_migrations: list = field(default_factory=list)
    key_mismatch: bool = False


# --- shared helpers ---------------------------------------------------------------------------


def backup_dir() -> Path:
    return settings.ZHENWU_HOME / BACKUP_DIR_NAME


def manifest_path_for(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _vendor() -> str:
    vendor = connections["default"].vendor
    if vendor not in SUFFIXES:
        raise BackupError(_("不支持的数据库类型：%(vendor)s") % {"vendor": vendor})
    return vendor


def _default_path(vendor: str, label: str) -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    stem = "-".join(part for part in ("zhenwu", label, stamp) if part)
    for attempt in range(1, 100):
        name = stem + (f"-{attempt}" if attempt > 1 else "") + SUFFIXES[vendor]
        if not (backup_dir() / name).exists():
            return backup_dir() / name
    raise BackupError(_("备份目录中同名文件过多：%(dir)s") % {"dir": backup_dir()})


def _create_private_file(path: Path) -> None:
    """Backups hold personal data: readable by the service account only."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))


def key_fingerprints() -> dict:
    """Short HMACs identifying the configured keys without revealing them."""

    def fingerprint(raw: bytes) -> str:
        return hmac.new(raw, _KEY_CHECK_MESSAGE, hashlib.sha256).hexdigest()[:16]

    data_keys = {}
    for item in (settings.DATA_KEYS or "").split(","):
        version, _sep, encoded = item.strip().partition(":")
        if encoded:
            data_keys[version] = fingerprint(base64.b64decode(encoded))
    index_key = fingerprint(base64.b64decode(settings.INDEX_KEY)) if settings.INDEX_KEY else ""
    return {"data_keys": data_keys, "index_key": index_key}


def _key_tables() -> dict[str, str]:
    tables = {}
    for label in KEY_MODELS:
        try:
            tables[label] = apps.get_model(label)._meta.db_table
        except LookupError:
            continue
    return tables


def _read_facts(cursor, existing_tables: set[str]) -> dict:
    """Migrations, key row counts and the audit chain head, read through one DB-API cursor
    (the backup file's, or the snapshot the dump is taken from)."""
    applied: dict[str, list[str]] = {}
    if "django_migrations" in existing_tables:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        for app, name in cursor.fetchall():
            applied.setdefault(app, []).append(name)
    counts = {}
    for label, table in _key_tables().items():
        if table in existing_tables:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - model table names
            counts[label] = cursor.fetchone()[0]
    audit_head = ""
    if "core_auditchainhead" in existing_tables:
        cursor.execute("SELECT last_hash FROM core_auditchainhead WHERE id = 1")
        row = cursor.fetchone()
        audit_head = row[0] if row else ""
    return {"applied": applied, "counts": counts, "audit_last_hash": audit_head}


def _graph_loader() -> MigrationLoader:
    return MigrationLoader(None, ignore_no_migrations=True)


def migration_heads(applied: dict[str, list[str]]) -> dict[str, list[str]]:
    """Per app, the applied migrations that no other applied migration of the app follows."""
    graph = _graph_loader().graph
    heads = {}
    for app, names in sorted(applied.items()):
        keys = {(app, name) for name in names}
        heads[app] = [
            name
            for name in names
            if (app, name) not in graph.node_map
            or not any(child.key in keys for child in graph.node_map[(app, name)].children)
        ]
    return heads


def compare_migrations(applied: dict[str, list[str]]) -> tuple[list[str], list[str]]:
    """(migrations this code does not know = the backup is newer, migrations of this code
    the backup lacks = run ``zhenwu migrate`` after restoring)."""
    loader = _graph_loader()
    keys = {(app, name) for app, names in applied.items() for name in names}
    known = set(loader.disk_migrations)
    for migration in loader.disk_migrations.values():
        known.update(tuple(r) for r in migration.replaces)
    unknown = sorted(f"{app}.{name}" for app, name in keys - known)
    pending = []
    for key in sorted(loader.graph.nodes):
        replaces = [tuple(r) for r in loader.graph.nodes[key].replaces]
        if key not in keys and not (replaces and all(r in keys for r in replaces)):
            pending.append(f"{key[0]}.{key[1]}")
    return unknown, pending


# --- backup ---------------------------------------------------------------------------------


def create_backup(output: Path | None = None, *, label: str = "") -> BackupResult:
    """Back up the database to ``output`` (default: a timestamped file under
    ``$ZHENWU_HOME/backups/``), write the manifest beside it and audit it."""
    vendor = _vendor()
    path = Path(output).resolve() if output else _default_path(vendor, label)
    if path.exists() or manifest_path_for(path).exists():
        raise BackupError(_("文件已存在，不会覆盖：%(path)s") % {"path": path})
    partial = path.with_name(path.name + ".partial")
    _create_private_file(partial)
    try:
        if vendor == "sqlite":
            _sqlite_backup(partial)
            facts = _sqlite_facts(partial)
        else:
            facts = _postgresql_backup(partial)
        partial.rename(path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    manifest = {
        "format": MANIFEST_FORMAT,
        "engine": vendor,
        "file": path.name,
        "created_at": timezone.now().isoformat(),
        "label": label,
        "size_bytes": path.stat().st_size,
        "sha256": sha256_of(path),
        "migration_heads": migration_heads(facts["applied"]),
        "migrations_applied": facts["applied"],
        "row_counts": facts["counts"],
        "audit_last_hash": facts["audit_last_hash"],
        "key_fingerprints": key_fingerprints(),
    }
    manifest_file = manifest_path_for(path)
    _write_json(manifest_file, manifest)
    audit.record(
        "core.backup_created",
        username="cli",
        object_type="backup",
        object_id=path.name,
        data={"path": str(path), "engine": vendor, "sha256": manifest["sha256"], "label": label},
    )
    return BackupResult(path=path, manifest_path=manifest_file, manifest=manifest)


def _write_json(path: Path, data: dict) -> None:
    partial = path.with_name(path.name + ".partial")
    _create_private_file(partial)
    partial.write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
    partial.rename(path)


def _sqlite_name() -> str:
    return str(connections["default"].settings_dict["NAME"])


def _deadline_progress(message: str):
    """A progress callback that gives up with ``message`` when the database stays locked too
    long (Python would otherwise retry a busy step for ever)."""
    started = time.monotonic()

    def progress(status, remaining, total):
        if time.monotonic() - started > SQLITE_LOCK_TIMEOUT_SECONDS:
            raise BackupError(message)

    return progress


def _sqlite_backup(target: Path) -> None:
    connection = connections["default"]
    if connection.is_in_memory_db():
        connection.ensure_connection()
        source, close_source = connection.connection, False
    else:
        source = sqlite3.connect(_sqlite_name(), timeout=SQLITE_LOCK_TIMEOUT_SECONDS)
        close_source = True
    destination = sqlite3.connect(target)
    try:
        source.backup(destination, progress=_deadline_progress(_("数据库一直被占用，备份已放弃。")))
        # One self-contained file: opening it later (even read-only) must not change it.
        destination.execute("PRAGMA journal_mode=DELETE")
        (check,) = destination.execute("PRAGMA quick_check").fetchone()
        if check != "ok":
            raise BackupError(_("备份文件检查未通过：%(detail)s") % {"detail": check})
    finally:
        destination.close()
        if close_source:
            source.close()


def _open_sqlite_readonly(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)


def _sqlite_facts(path: Path) -> dict:
    db = _open_sqlite_readonly(path)
    try:
        cursor = db.cursor()
        tables = {row[0] for row in cursor.execute("SELECT name FROM sqlite_master")}
        return _read_facts(cursor, tables)
    finally:
        db.close()


# --- PostgreSQL -----------------------------------------------------------------------------


def _pg_program(name: str) -> str:
    program = shutil.which(name)
    if program is None:
        raise BackupError(
            _(
                "找不到 %(program)s：请安装与服务器版本相同或更新的 PostgreSQL 客户端"
                "（如 apt-get install postgresql-client）。"
            )
            % {"program": name}
        )
    return program


def _pg_env() -> dict:
    """libpq settings in the environment: the password never appears on a command line."""
    params = connections["default"].settings_dict
    env = dict(os.environ)
    values = {
        "PGHOST": params.get("HOST"),
        "PGPORT": params.get("PORT"),
        "PGUSER": params.get("USER"),
        "PGPASSWORD": params.get("PASSWORD"),
        "PGDATABASE": params.get("NAME"),
    }
    options = params.get("OPTIONS") or {}
    for option in _PG_CONNECTION_OPTIONS:
        values["PG" + option.upper()] = options.get(option)
    env.update({k: str(v) for k, v in values.items() if v not in (None, "")})
    return env


def _run_pg(argv: list[str]) -> subprocess.CompletedProcess:
    result = subprocess.run(argv, env=_pg_env(), capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(
            _("%(program)s 失败（退出码 %(code)s）：%(detail)s")
            % {
                "program": Path(argv[0]).name,
                "code": result.returncode,
                "detail": result.stderr.strip()[-2000:],
            }
        )
    return result


def _pg_connect():
    """A separate connection (not Django's), so that the caller's transaction state does
    not matter."""
    import psycopg

    params = connections["default"].settings_dict
    options = params.get("OPTIONS") or {}
    values = {
        "dbname": params.get("NAME"),
        "user": params.get("USER"),
        "password": params.get("PASSWORD"),
        "host": params.get("HOST"),
        "port": params.get("PORT"),
        **{k: options.get(k) for k in _PG_CONNECTION_OPTIONS},
    }
    return psycopg.connect(**{k: str(v) for k, v in values.items() if v not in (None, "")})


def _pg_tables(cursor) -> set[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    return {row[0] for row in cursor.fetchall()}


def _postgresql_backup(target: Path) -> dict:
    """pg_dump under an exported snapshot; the manifest's facts come from the same snapshot."""
    import psycopg

    program = _pg_program("pg_dump")
    with _pg_connect() as db:
        db.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        db.read_only = True
        with db.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            (snapshot,) = cursor.fetchone()
            facts = _read_facts(cursor, _pg_tables(cursor))
            _run_pg(
                [
                    program,
                    "--format=custom",
                    "--no-password",
                    f"--snapshot={snapshot}",
                    f"--file={target}",
                ]
            )
        db.rollback()
    return facts


def _postgresql_restore(path: Path) -> None:
    """pg_restore --clean in one transaction. Tables the dump does not know (made by newer
    migrations of the live database) are dropped first, so ``migrate`` can re-create them."""
    program = _pg_program("pg_restore")
    listing = _run_pg([program, "--list", str(path)]).stdout
    dumped = {
        parts[5]
        for parts in (line.split() for line in listing.splitlines() if not line.startswith(";"))
        if len(parts) > 5 and parts[3] == "TABLE" and parts[4] != "DATA"
    }
    with _pg_connect() as db, db.cursor() as cursor:
        for table in sorted(_pg_tables(cursor) - dumped):
            cursor.execute(f'DROP TABLE IF EXISTS "{table}" CASCADE')
        db.commit()
    database = connections["default"].settings_dict["NAME"]
    _run_pg(
        [
            program,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            "--no-password",
            f"--dbname={database}",
            str(path),
        ]
    )


# --- restore --------------------------------------------------------------------------------


def read_manifest(path: Path) -> dict:
    manifest_file = manifest_path_for(path)
    if not path.is_file():
        raise BackupError(_("找不到备份文件：%(path)s") % {"path": path})
    if not manifest_file.is_file():
        raise BackupError(_("找不到备份清单：%(path)s") % {"path": manifest_file})
    try:
        manifest = json.loads(manifest_file.read_text())
    except (ValueError, OSError) as error:
        raise BackupError(_("备份清单无法读取：%(error)s") % {"error": error}) from None
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
        raise BackupError(_("备份清单格式不对：%(path)s") % {"path": manifest_file})
    return manifest


def _describe_target(vendor: str) -> str:
    params = connections["default"].settings_dict
    if vendor == "sqlite":
        return _sqlite_name()
    return f"{params.get('NAME')}@{params.get('HOST') or 'localhost'}:{params.get('PORT') or 5432}"


def _current_counts() -> dict:
    connection = connections["default"]
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        return _read_facts(cursor, existing)["counts"]


def plan_restore(path: Path) -> RestorePlan:
    """Every check that comes before replacing anything: sha256, engine, migrations."""
    path = Path(path).resolve()
    manifest = read_manifest(path)
    if sha256_of(path) != manifest.get("sha256"):
        raise BackupError(
            _("备份文件的 sha256 与清单不符（文件已损坏或被改动），拒绝恢复：%(path)s")
            % {"path": path}
        )
    vendor = _vendor()
    if manifest.get("engine") != vendor:
        raise BackupError(
            _("备份来自 %(backup)s 数据库，当前数据库是 %(current)s，无法恢复。")
            % {"backup": manifest.get("engine"), "current": vendor}
        )
    unknown, pending = compare_migrations(manifest.get("migrations_applied") or {})
    if unknown:
        raise BackupError(
            _(
                "备份比当前程序新（含本程序不认识的数据库迁移：%(migrations)s）。"
                "请先升级程序再恢复。"
            )
            % {"migrations": ", ".join(unknown[:10])}
        )
    current = key_fingerprints()
    saved = manifest.get("key_fingerprints") or {}
    key_mismatch = saved.get("index_key") != current["index_key"] or any(
        current["data_keys"].get(version) != value
        for version, value in (saved.get("data_keys") or {}).items()
    )
    return RestorePlan(
        path=path,
        manifest=manifest,
        target=_describe_target(vendor),
        current_counts=_current_counts(),
        pending_migrations=pending,
        key_mismatch=key_mismatch,
    )


def restore_backup(plan: RestorePlan, *, safety_backup: bool = True) -> RestoreResult:
    """Replace the live database with the backup (a safety backup of it is taken first)."""
    vendor = plan.manifest["engine"]
    if vendor == "sqlite" and connections["default"].is_in_memory_db():
        raise BackupError(_("内存数据库无法恢复，请使用数据库文件。"))
    before = create_backup(label="pre-restore") if safety_backup else None
    connections.close_all()
    if vendor == "sqlite":
        _sqlite_restore(plan.path)
    else:
        _postgresql_restore(plan.path)
    connections.close_all()
    # The restored database carries its own audit chain; the restore is appended to it.
    data = {
        "path": str(plan.path),
        "sha256": plan.manifest["sha256"],
        "backup_created_at": plan.manifest.get("created_at"),
        "safety_backup": str(before.path) if before else "",
        "pending_migrations": len(plan.pending_migrations),
    }
    try:
        audit.record(
            "core.backup_restored",
            username="cli",
            object_type="backup",
            object_id=plan.path.name,
            data=data,
        )
    except DatabaseError:
        # Only when the restored (older) audit table does not fit this code's model; the
        # restore itself cannot be undone here, so it is reported instead of hidden.
        logger.exception("core.backup_restored could not be written to the restored database")
        return RestoreResult(safety_backup=before, audited=False)
    return RestoreResult(safety_backup=before, audited=True)


def _sqlite_restore(path: Path) -> None:
    source = _open_sqlite_readonly(path)
    destination = sqlite3.connect(_sqlite_name(), timeout=SQLITE_LOCK_TIMEOUT_SECONDS)
    try:
        source.backup(destination, progress=_deadline_progress(_("数据库一直被占用，恢复已放弃。")))
    except sqlite3.Error as error:
        raise BackupError(_("恢复失败：%(error)s") % {"error": error}) from None
    finally:
        destination.close()
        source.close()
