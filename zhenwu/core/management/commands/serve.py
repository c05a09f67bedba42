"""``zhenwu serve``: the production WSGI server (gunicorn) with sensible defaults.

Put a TLS-terminating reverse proxy in front of it (docs/operations.md); gunicorn itself
listens on 127.0.0.1 unless told otherwise.
"""

import os
import sys

from django.core.management.base import BaseCommand, CommandError


def default_workers() -> int:
    """gunicorn's rule of thumb (2 × cores + 1), capped: each worker holds a full Django."""
    return min(2 * (os.cpu_count() or 1) + 1, 8)


def gunicorn_argv(*, bind: str, workers: int, threads: int, timeout: int = 60) -> list[str]:
    """The gunicorn command line shared by ``zhenwu serve`` and ``zhenwu demo``.

    No access log: request lines carry search terms (names), which must not reach the logs
    (SECURITY.md). No control socket: its fixed default path would clash between instances.
    """
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "zhenwu.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--timeout",
        str(timeout),
        "--graceful-timeout",
        "10",
        "--no-control-socket",
    ]


class Command(BaseCommand):
    help = "Serve Zhenwu with gunicorn (production WSGI server)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--bind",
            default=os.environ.get("ZHENWU_BIND", "127.0.0.1:8000"),
            help="address:port or unix:/path (default: $ZHENWU_BIND or 127.0.0.1:8000)",
        )
        parser.add_argument("--workers", type=int, default=default_workers())
        parser.add_argument("--threads", type=int, default=4)
        parser.add_argument(
            "--timeout", type=int, default=60, help="seconds before a silent worker is restarted"
        )

    def handle(self, *args, bind, workers, threads, timeout, **options):
        if workers < 1 or threads < 1:
            raise CommandError("--workers and --threads must be at least 1")
        argv = gunicorn_argv(bind=bind, workers=workers, threads=threads, timeout=timeout)
        self.stdout.write(f"gunicorn on {bind}: {workers} workers × {threads} threads")
        self.stdout.flush()
        # Replace this process, so that signals from systemd or Ctrl-C reach gunicorn directly.
        os.execv(sys.executable, argv)
