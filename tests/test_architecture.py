"""The stages of posts/ as import-linter contracts (pyproject.toml, docs/architecture.md): the tree keeps them,
and a wrong import breaks them."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([LINT_IMPORTS, "--no-cache"], cwd=root, capture_output=True, text=True, timeout=120)


def copy_of_the_tree(tmp_path: Path) -> Path:
    for name in ("posts", "archive"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


def test_the_tree_keeps_every_contract():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    "module, line, broken",
    [
        # a lower stage importing a higher one, even inside a function
        ("search/matching.py", "def _page():\n    from posts.web import views  # noqa", "posts.search is not allowed to import posts.web"),
        # the models knowing the search
        ("models/archive.py", "from posts.search import matching  # noqa", "posts.models is not allowed to import posts.search"),
        # a cycle inside a stage: query imports tokens, tokens imports query back
        ("search/tokens.py", "import posts.search.query  # noqa", "No cycles are allowed in posts.search"),
        # Django in the pure parser
        ("ingest/parser.py", "import django.db  # noqa", "posts.ingest.parser is not allowed to import django"),
    ],
)
def test_a_wrong_import_breaks_a_contract(tmp_path, module, line, broken):
    tree = copy_of_the_tree(tmp_path)
    path = tree / "posts" / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")

    result = lint_imports(tree)

    assert result.returncode != 0
    assert broken in result.stdout
