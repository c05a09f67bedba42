#!/usr/bin/env python
"""Same as the `zhenwu` command; kept for engineers used to manage.py."""

from zhenwu.cli import main

if __name__ == "__main__":
    main()
