"""End-to-end fixtures. The browser (one Chromium for the session), ``browser_page`` and the
"browser tests last" ordering live in the repository-root ``conftest.py``."""

# The personas' fixtures live in zhenwu/conftest.py, out of this directory's reach.
from zhenwu.conftest import (  # noqa: F401
    luotian,
    luotian_household,
    makou,
    makou_household,
    township_officer,
    world,
)
