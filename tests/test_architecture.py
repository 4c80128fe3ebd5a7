"""The layering the README's "Layout" promises, read from the source's import statements
(AST, not grep): the CLI sits on a library; passes, checks, readers, writers and batch never
reach up into the CLI; only the CLI imports Click; writers read no files; checks share the
text grammar with readers instead of importing reader internals."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import ROOT

PACKAGE = ROOT / "src" / "contractgen"
CLI_LAYER = ("contractgen.__main__", "contractgen.cli", "contractgen.commands")  # __main__: the command's entry


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path, name: str | None = None) -> set[str]:
    """Every module an ``import`` or ``from … import`` in the file names, made absolute
    (``from .x import y`` names both ``pkg.x`` and ``pkg.x.y``, which may be a module)."""
    name = name or _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


MODULES = {_module_name(p): _imports(p) for p in sorted(PACKAGE.rglob("*.py"))}


def _in(module: str, *prefixes: str) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def _offenders(importers, imported) -> list[str]:
    return sorted(f"{m} imports {i}" for m, names in MODULES.items() if importers(m)
                  for i in sorted(names) if imported(i))


def test_the_analysis_sees_the_package() -> None:
    assert "contractgen.pipeline" in MODULES and "contractgen.cli" in MODULES
    assert "contractgen.pipeline" in MODULES["contractgen.commands.build"]
    assert "click" in MODULES["contractgen.cli"]


def test_nothing_below_the_cli_imports_the_cli() -> None:
    assert _offenders(lambda m: not _in(m, *CLI_LAYER), lambda i: _in(i, *CLI_LAYER)) == []


def test_only_the_cli_layer_imports_click() -> None:
    assert _offenders(lambda m: not _in(m, *CLI_LAYER), lambda i: _in(i, "click")) == []


def test_writers_import_no_reader() -> None:
    assert _offenders(lambda m: _in(m, "contractgen.writers"), lambda i: _in(i, "contractgen.readers")) == []


def test_checks_import_no_reader_internals() -> None:
    assert _offenders(lambda m: _in(m, "contractgen.checks"), lambda i: _in(i, "contractgen.readers")) == []


@pytest.mark.parametrize("layer", ["passes", "checks", "readers", "writers", "batch", "numbering"])
def test_library_layers_do_not_depend_on_the_commands(layer: str) -> None:
    assert _offenders(lambda m: _in(m, f"contractgen.{layer}"),
                      lambda i: _in(i, "contractgen.commands", "contractgen.cli")) == []


def test_a_planted_offence_is_seen(tmp_path: Path) -> None:
    """The walker must resolve relative imports, or the tests above prove nothing."""
    sample = tmp_path / "body.py"
    sample.write_text("from ...readers.docx import read_docx\nfrom .. import cli\nimport click\n"
                      "def f():\n    from ..commands.build import run_build\n", encoding="utf-8")
    names = _imports(sample, "contractgen.writers.docx.body")
    assert {"contractgen.readers.docx", "contractgen.writers.cli", "click",
            "contractgen.writers.commands.build"} <= names
    planted = _imports(sample, "contractgen.checks.x")
    assert "contractgen.readers.docx" not in planted  # three dots from checks/x.py leave the package
    assert {"contractgen.cli", "contractgen.commands.build"} <= _imports(sample, "contractgen.passes.x")
