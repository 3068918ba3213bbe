"""Types are part of the test command: mypy, configured in pyproject.toml, finds nothing.

mypy runs in a fresh interpreter from the project root, so it reads `[tool.mypy]` exactly
as `python -m mypy` does by hand: strict for the model, the journal, the core and what
reads them without the screen; normal checking for the screen and the reports. Its cache
is the default `.mypy_cache` (mypy writes a `.gitignore` into it), so a second run takes
a fraction of a second instead of several.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_mypy_reports_no_errors() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-color-output"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        report = (result.stdout + result.stderr).strip()
        pytest.fail(f"mypy (pyproject.toml [tool.mypy]) found problems:\n{report}", pytrace=False)
