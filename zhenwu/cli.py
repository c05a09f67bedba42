"""The ``zhenwu`` command: Django's management commands under our settings.

Zhenwu's own commands: demo, serve, worker, import, export, report, backup, restore,
createuser, load_areas, reset_2fa.
Django's and the libraries' commands (migrate, check, createcachetable, ...) work too.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["demo"]:
        mode = os.environ.get("ZHENWU_MODE", "demo")
        if mode != "demo":
            sys.stderr.write(
                "zhenwu demo refuses to run with ZHENWU_MODE=%s: the demo creates accounts "
                "with printed passwords and must never touch a production configuration.\n" % mode
            )
            raise SystemExit(2)
        os.environ["ZHENWU_MODE"] = "demo"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhenwu.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["zhenwu", *argv])


if __name__ == "__main__":
    main()
