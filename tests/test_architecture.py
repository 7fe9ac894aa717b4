"""The stages of posts/ as import-linter contracts (pyproject.toml, docs/architecture.md): the tree keeps them,
and a wrong import breaks them."""

import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([LINT_IMPORTS, "--no-cache"], cwd=root, capture_output=True, text=True, timeout=120)


def copy_of_the_tree(tmp_path: Path) -> Path:
    for name in ("posts", "archive"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


def add_line(path: Path, line: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")


def test_the_tree_keeps_every_contract():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_lower_stage_importing_a_higher_one_breaks_the_layers(tmp_path):
    tree = copy_of_the_tree(tmp_path)
    add_line(tree / "posts" / "search" / "matching.py", "def _page():\n    from posts.web import views  # noqa")

    result = lint_imports(tree)

    assert result.returncode != 0
    assert "posts.search is not allowed to import posts.web" in result.stdout


def test_the_models_importing_the_search_breaks_the_layers(tmp_path):
    tree = copy_of_the_tree(tmp_path)
    add_line(tree / "posts" / "models" / "archive.py", "from posts.search import matching  # noqa")

    result = lint_imports(tree)

    assert result.returncode != 0
    assert "posts.models is not allowed to import posts.search" in result.stdout


def test_an_import_cycle_inside_a_stage_breaks_the_cycle_contract(tmp_path):
    tree = copy_of_the_tree(tmp_path)
    # query imports tokens; tokens importing query back closes a cycle within posts.search.
    add_line(tree / "posts" / "search" / "tokens.py", "import posts.search.query  # noqa")

    result = lint_imports(tree)

    assert result.returncode != 0
    assert "No cycles are allowed in posts.search" in result.stdout
    assert ".tokens -> .query" in result.stdout or ".query -> .tokens" in result.stdout


def test_django_in_the_parser_breaks_its_purity(tmp_path):
    tree = copy_of_the_tree(tmp_path)
    add_line(tree / "posts" / "ingest" / "parser.py", "import django.db  # noqa")

    result = lint_imports(tree)

    assert result.returncode != 0
    assert "posts.ingest.parser is not allowed to import django" in result.stdout
