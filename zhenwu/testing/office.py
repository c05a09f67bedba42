"""LibreOffice for the tests that convert generated .docx/.xlsx files (the proof that an
office suite opens them). CI installs ``libreoffice-writer-nogui`` (.ci/run) and there a
missing LibreOffice fails the test; on a developer's machine without it the test skips."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest


def libreoffice() -> str:
    found = shutil.which("libreoffice") or shutil.which("soffice")
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail("LibreOffice is missing: .ci/run installs libreoffice-writer-nogui")
    pytest.skip("LibreOffice is not installed")


def convert_to_pdf(source: Path, workdir: Path) -> Path:
    """``source`` converted by LibreOffice headless; the PDF's path (asserted to exist)."""
    subprocess.run(
        [libreoffice(), f"-env:UserInstallation=file://{workdir}/lo", "--headless",
         "--convert-to", "pdf", "--outdir", str(workdir), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    pdf = workdir / f"{source.stem}.pdf"
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")
    return pdf
