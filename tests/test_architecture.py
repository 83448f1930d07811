"""The import contracts of pyproject.toml ([tool.importlinter]): the apps stay in layers
(core < accounts < sessions_app < invigilation | finalisation < the demo data's command) and no
package has an import loop between its modules. `make lint` runs the same `lint-imports`; this
test makes the suite fail too."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("pixcertif", "sessions_app", "invigilation", "finalisation")
LINT_IMPORTS = str(Path(sys.executable).parent / "lint-imports")


def _lint_imports(cwd: Path, *contracts: str) -> subprocess.CompletedProcess[str]:
    only = [arg for contract in contracts for arg in ("--contract", contract)]
    return subprocess.run(
        [LINT_IMPORTS, "--config", str(cwd / "pyproject.toml"), "--no-cache", "--no-logo", *only],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_import_contracts_are_kept():
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("module", "bad_import", "contract"),
    [
        ("pixcertif/core/errors.py", "import sessions_app.models", "layers"),
        ("pixcertif/accounts/models.py", "import sessions_app.models", "layers"),
        ("sessions_app/documents.py", "import finalisation.services", "layers"),
        ("invigilation/services.py", "import finalisation.services", "layers"),
        ("pixcertif/downloads.py", "import invigilation.models", "project-below-apps"),
        ("sessions_app/models/session.py", "import sessions_app.services.sessions", "acyclic"),
        ("finalisation/demo_results.py", "import pixcertif.demo.management.commands.seed_demo", "layers"),
    ],
)
def test_a_new_loop_or_arrow_running_back_up_breaks_a_contract(tmp_path, module, bad_import, contract):
    """The contracts bite: the same tree with one import added is refused."""
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "migrations")
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    assert _lint_imports(tmp_path, contract).returncode == 0
    target = tmp_path / module
    target.write_text(target.read_text() + f"\n{bad_import}  # noqa\n")
    result = _lint_imports(tmp_path, contract)
    assert result.returncode != 0, result.stdout
    assert "Contracts: 0 kept, 1 broken." in result.stdout
