"""Who may import whom (docs/ARCHITECTURE.md): the core never imports Streamlit, pages and
components never touch the database or the core directly, and nobody imports pages."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import REPO


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _files(folder: str) -> list[Path]:
    return sorted((REPO / folder).rglob("*.py"))


@pytest.mark.parametrize("path", _files("cspdash"), ids=lambda p: str(p.relative_to(REPO)))
def test_core_never_imports_streamlit(path):
    assert not _imports(path) & {"streamlit", "streamlit_folium", "app_data", "components", "pages", "views"}


@pytest.mark.parametrize("path", _files("components"), ids=lambda p: str(p.relative_to(REPO)))
def test_components_never_import_the_core_or_duckdb(path):
    assert not _imports(path) & {"cspdash", "duckdb", "app_data", "pages", "views"}


@pytest.mark.parametrize("path", _files("views") + [REPO / "dashboard.py"], ids=lambda p: str(p.relative_to(REPO)))
def test_pages_are_layout_only(path):
    assert not _imports(path) & {"cspdash", "duckdb", "pages", "views"}
    text = path.read_text(encoding="utf-8").lower()
    for word in ("select ", "insert into", "create table"):
        assert word not in text, f"{path.name} holds SQL"


def test_no_sql_strings_in_python_outside_the_registry():
    offenders = []
    for path in _files("cspdash") + _files("components") + [REPO / "app_data.py"]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = " ".join(node.value.upper().split())
                if any(k in text for k in ("SELECT ", "INSERT INTO", "CREATE TABLE", "DELETE FROM", "DROP TABLE")):
                    if text.startswith(("SELECT ", "INSERT ", "CREATE ", "DELETE ", "WITH ", "DROP ")):
                        offenders.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert not offenders, offenders
