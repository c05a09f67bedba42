"""``zhenwu demo``: migrate, build 沙地镇 if the database is empty, collect static files, then
serve it with gunicorn and a task worker beside it until Ctrl-C.

``zhenwu.cli`` forces ZHENWU_MODE=demo for this command and refuses any other mode, so it
never runs on a production configuration; the database defaults to ZHENWU_HOME/demo.sqlite3.
"""

import os
import signal
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from zhenwu.core.management.commands.serve import gunicorn_argv
from zhenwu.demo.accounts import accounts_table
from zhenwu.demo.builder import build_demo
from zhenwu.registry.models import Household

STOP_TIMEOUT_SECONDS = 15
TOWNSHIP_NAME = "沙地镇"


class Command(BaseCommand):
    help = "Build the 沙地镇 demo (if needed) and serve it on http://127.0.0.1:8000."
    requires_migrations_checks = False  # this command migrates

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--households", type=int, default=11000)
        parser.add_argument("--seed", type=int, default=2023)
        parser.add_argument("--reset", action="store_true", help="delete the demo data, rebuild")
        parser.add_argument(
            "--yes", action="store_true", help="confirm --reset on a non-SQLite database"
        )
        parser.add_argument("--no-serve", action="store_true", help="build, then exit")

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError("zhenwu demo runs only with ZHENWU_MODE=demo")
        if options["households"] < 1:
            raise CommandError("--households must be at least 1")
        if options["reset"]:
            self.reset(confirmed=options["yes"])
        self.heading("migrate")
        call_command("migrate", interactive=False, verbosity=0)
        if options["reset"] and not self.is_sqlite():
            call_command("flush", interactive=False, verbosity=0)
        if Household.objects.exists():
            self.stdout.write("演示数据已存在（重新生成请加 --reset）。")
        else:
            self.heading(f"build 沙地镇 ({options['households']} households)")
            summary = build_demo(
                households=options["households"], seed=options["seed"], stdout=self.stdout
            )
            if summary.monitoring is not None:
                self.print_monitoring_report()
        self.heading("collectstatic")
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(accounts_table())
        connections.close_all()
        if not options["no_serve"]:
            self.serve(options["host"], options["port"])

    def print_monitoring_report(self) -> None:
        """What ``zhenwu report monitoring --area 沙地镇 --period 2023H1`` prints."""
        self.heading("zhenwu report monitoring --area 沙地镇 --period 2023H1")
        call_command(
            "report",
            "monitoring",
            "--area",
            TOWNSHIP_NAME,
            "--period",
            "2023H1",
            stdout=self.stdout,
        )

    def heading(self, text: str) -> None:
        self.stdout.write(self.style.MIGRATE_HEADING(f"== {text}"))

    def is_sqlite(self) -> bool:
        return connections["default"].vendor == "sqlite"

    def reset(self, *, confirmed: bool) -> None:
        """SQLite: delete the database file with its WAL and shared-memory files.
        Another database is emptied (flush, after migrate) only when --yes confirms it."""
        if not self.is_sqlite():
            if not confirmed:
                raise CommandError(
                    "--reset would empty the database at DATABASE_URL; add --yes to confirm"
                )
            return
        name = Path(settings.DATABASES["default"]["NAME"])
        connections.close_all()
        for path in (name, Path(f"{name}-wal"), Path(f"{name}-shm")):
            path.unlink(missing_ok=True)
        self.stdout.write(f"已删除 {name}")

    def serve(self, host: str, port: int) -> None:
        """gunicorn and a task worker as children; Ctrl-C (or either exiting) stops both."""
        env = {**os.environ, "ZHENWU_MODE": "demo", "ZHENWU_HOME": str(settings.ZHENWU_HOME)}
        # Ctrl-C, and also SIGTERM (kill, systemd): stop both children, never orphan them.
        # SIGINT is set explicitly because a shell starts background jobs with it ignored.
        signal.signal(signal.SIGTERM, _interrupt)
        signal.signal(signal.SIGINT, _interrupt)
        children: list[subprocess.Popen] = []
        try:
            children.append(
                subprocess.Popen(
                    [sys.executable, "-m", "zhenwu.cli", "worker", "--verbosity", "0"], env=env
                )
            )
            server = subprocess.Popen(
                gunicorn_argv(bind=f"{host}:{port}", workers=2, threads=4), env=env
            )
            children.append(server)
            self.announce(host, port)
            pid, status = os.wait()  # returns when either child exits
        except KeyboardInterrupt:
            self.stdout.write("正在停止…")
            return
        finally:
            stop(*children)
        name = "gunicorn" if pid == server.pid else "zhenwu worker"
        raise CommandError(f"{name} exited (status {os.waitstatus_to_exitcode(status)})")

    def announce(self, host: str, port: int) -> None:
        self.stdout.write(self.style.SUCCESS(f"沙地镇演示：http://{host}:{port}/  （Ctrl-C 停止）"))
        if host not in settings.ALLOWED_HOSTS:
            self.stdout.write(
                f"从其他电脑访问时，请把本机地址加入 ALLOWED_HOSTS（当前：{settings.ALLOWED_HOSTS}）"
            )
        self.stdout.flush()


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def stop(*processes: subprocess.Popen) -> None:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
