"""The road figures take (docs/architecture.md): registry → figures → returns → publication →
dashboards, reports, API. No module on it imports one further down: a figure can only leave
the coordinator role through the publication if nothing upstream can reach past it."""

import ast
from pathlib import Path

import pytest

MIM = Path(__file__).resolve().parents[2] / "mim"
ROAD = ["codebook", "organisations", "registry", "figures", "results", "returns", "publication"]
DOWNSTREAM = ["dashboards", "reports", "api"]


def _imports(app: str) -> set[tuple[str, str]]:
    """(file, imported app) for every import of another mim app in the app's own modules."""
    found = set()
    for path in (MIM / app).rglob("*.py"):
        if "migrations" in path.parts:
            continue  # a migration may install what a later app defines (triggers)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [node.module] if isinstance(node, ast.ImportFrom) and node.module else (
                [a.name for a in node.names] if isinstance(node, ast.Import) else [])
            for name in names:
                parts = name.split(".")
                if parts[0] == "mim" and len(parts) > 1 and parts[1] != app:
                    found.add((str(path.relative_to(MIM)), parts[1]))
    return found


@pytest.mark.parametrize("app", ROAD)
def test_it_never_imports_back_up_the_road(app):
    later = set(ROAD[ROAD.index(app) + 1:]) | set(DOWNSTREAM)
    assert sorted((f, other) for f, other in _imports(app) if other in later) == []


def test_it_sees_an_import_back_up_the_road(tmp_path, monkeypatch):
    # The check itself must be able to fail: a module of returns that imports the publication.
    app = tmp_path / "returns"
    app.mkdir()
    (app / "views.py").write_text("from mim.publication.selectors import published_figures\n")
    monkeypatch.setattr("tests.foundation.test_road.MIM", tmp_path)
    assert _imports("returns") == {("returns/views.py", "publication")}
