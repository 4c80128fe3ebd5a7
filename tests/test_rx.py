"""contractgen.rx: module-level patterns compiled once and read back from a cache file.

A pattern read from the cache must be the pattern re.compile makes — every pattern of ours,
checked on real contract text — and a cache that is damaged, unreadable or unwritable must
never change a result or stop a run."""

from __future__ import annotations

import json
import marshal
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLE

CLI = [sys.executable, "-c", "from contractgen.cli import main; main()"]

# Prints, for every pattern in the cache, what it is and what it finds in the text given.
PROBE = r"""
import json, re, sys
from contractgen import rx
text = open(sys.argv[1], encoding="utf-8").read()
out = []
for (pattern, flags) in sorted(rx._load(), key=repr):
    compiled = rx.compile(pattern, flags)
    is_text = isinstance(pattern, str)
    out.append([pattern if is_text else pattern.decode("latin-1"), is_text, flags, compiled.flags,
                compiled.groups, sorted(compiled.groupindex.items()),
                [m.span() for m in compiled.finditer(text if is_text else text.encode("utf-8"))]])
print(json.dumps({"added": rx._added, "patterns": out}, ensure_ascii=False))
"""


def _env(cache: Path | str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return dict(env, CONTRACTGEN_RX_CACHE=str(cache), **extra)


def _corpus(tmp_path: Path) -> Path:
    """Contract text the patterns are run on: the sample's clauses, in Chinese and English."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "clauses").rglob("*.md"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "templates").rglob("*.md"))]
    path = tmp_path / "corpus.txt"
    path.write_text("\n".join(texts), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A cache of every module-level pattern of ours, written by ``python -m contractgen.rx``."""
    cache = tmp_path_factory.mktemp("rx")
    done = subprocess.run([sys.executable, "-m", "contractgen.rx"], env=_env(cache),
                          capture_output=True, text=True, timeout=300, check=True)
    assert "patterns in" in done.stdout
    (path,) = cache.glob("patterns.*.marshal")
    return path


def test_make_writes_every_module_level_pattern(built: Path) -> None:
    entries = marshal.loads(built.read_bytes())
    from contractgen.checks.placeholders import PLACEHOLDER
    from contractgen.checks.usage import _HALF_WIDTH

    patterns = {pattern for pattern, _flags in entries}
    assert PLACEHOLDER.pattern in patterns and _HALF_WIDTH.pattern in patterns
    assert len(entries) > 150


def test_a_pattern_from_the_cache_is_the_one_re_compiles(built: Path, tmp_path: Path) -> None:
    """Every cached pattern, read back in a new process, has re.compile's flags and groups
    and finds the same spans in the sample's clauses."""
    corpus = _corpus(tmp_path)
    done = subprocess.run([sys.executable, "-c", PROBE, str(corpus)], env=_env(built.parent),
                          capture_output=True, text=True, timeout=120, check=True)
    cached = json.loads(done.stdout)
    assert cached["added"] is False  # all read from the file, none compiled anew
    text = corpus.read_text(encoding="utf-8")
    found_any = 0
    for pattern, is_text, asked, flags, groups, groupindex, spans in cached["patterns"]:
        fresh = re.compile(pattern if is_text else pattern.encode("latin-1"), asked)
        assert [fresh.flags, fresh.groups, [list(i) for i in sorted(fresh.groupindex.items())]] == \
            [flags, groups, groupindex], pattern
        subject = text if is_text else text.encode("utf-8")
        assert [list(m.span()) for m in fresh.finditer(subject)] == spans, pattern
        found_any += bool(spans)
    assert found_any > 30  # the comparison saw real matches, not only empty results


def test_a_damaged_cache_is_ignored(tmp_path: Path) -> None:
    """Garbage in the file, or an entry whose code the engine refuses: patterns compile as usual."""
    from contractgen import rx

    probe = ("import sys; from contractgen import rx; p = rx.compile(r'第(?P<n>[一二三])条'); "
             "print(p.search('见本合同第二条').group('n'), rx._added)")
    cache = tmp_path / "cache"
    cache.mkdir()
    path = cache / rx.cache_file().name
    path.write_bytes(b"not a marshal file")
    done = subprocess.run([sys.executable, "-c", probe], env=_env(cache), capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["二", "True"]
    # a well-formed file whose entry is wrong: truncated code for that very pattern
    entry = rx._compiled("第(?P<n>[一二三])条", 0)
    path.write_bytes(marshal.dumps({("第(?P<n>[一二三])条", 0): (entry[0], entry[1][:20], *entry[2:])}))
    done = subprocess.run([sys.executable, "-c", probe], env=_env(cache), capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["二", "True"]
    # and the file is rewritten with the right entry
    assert marshal.loads(path.read_bytes())[("第(?P<n>[一二三])条", 0)] == entry


def test_no_cache_written_where_bytecode_is_not(tmp_path: Path) -> None:
    probe = "from contractgen import rx; rx.compile(r'[\\u4e00-\\u9fff]+条')"
    env = _env(tmp_path, PYTHONDONTWRITEBYTECODE="1")
    subprocess.run([sys.executable, "-c", probe], env=env, check=True)
    assert not list(tmp_path.glob("patterns.*"))
    subprocess.run([sys.executable, "-c", probe], env=_env(tmp_path), check=True)
    assert len(list(tmp_path.glob("patterns.*"))) == 1


def test_an_unwritable_cache_folder_changes_nothing(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    contract = tmp_path / "contract.md"
    contract.write_text("# 合同\n\n## 第一条 标的\n\n详见本合同第二条。\n", encoding="utf-8")
    done = subprocess.run(CLI + ["check", str(contract)], env=_env(blocker / "sub"), capture_output=True, text=True)
    assert done.returncode == 1 and "dangling-reference" in done.stdout, done.stdout + done.stderr
    assert "Traceback" not in done.stderr


def test_a_bad_pattern_is_re_error() -> None:
    from contractgen import rx

    with pytest.raises(re.error):
        rx.compile("第(条")


def test_builds_are_the_same_with_and_without_the_cache(tmp_path: Path, built: Path) -> None:
    """The cache changes start-up only: the sample contract's bytes are the same."""
    outputs = []
    for name, cache in (("cached", str(built.parent)), ("none", "")):
        out = tmp_path / name
        subprocess.run(CLI + ["build", str(SAMPLE), "--data",
                        str(SAMPLE / "sample-data.yaml"), "--out", str(out), "--format", "md,docx"],
                       env=_env(cache), check=True, capture_output=True, timeout=300)
        outputs.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert outputs[0] == outputs[1] and len(outputs[0]) == 2
