"""The command line's cache of compiled regexes: the same Patterns, the same answers, whatever the file holds."""

from __future__ import annotations

import hashlib
import json
import marshal
import re
import shutil
import uuid
from re import _compiler

import pytest
from test_ask import run_cli

from advisor import regex_cache
from advisor.extract import ProfileExtractor, _anchors, _derive_anchors

QUESTION = "We are 5 people, nobody has run Kubernetes, and we need experiment tracking. Which tool?"


def _answer(proc) -> dict:
    assert proc.returncode == 0, proc.stderr[-2000:]
    answer = json.loads(proc.stdout)
    for volatile in ("timings_ms", "trace_id"):
        answer.pop(volatile, None)
    return answer


@pytest.fixture(scope="module")
def cache_runs(index, data_dir, tmp_path_factory):
    """`advisor ask` with no cache file, then with the one it wrote, then with that file truncated; the cache
    file after each."""
    data = tmp_path_factory.mktemp("regex-cache") / "data"
    shutil.copytree(data_dir, data, ignore=shutil.ignore_patterns("regex", "traces.sqlite3*"))
    path = data / "regex" / "compiled.marshal"
    runs = []
    for step in ("cold", "warm", "corrupt"):
        if step == "corrupt":
            path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 3])
        runs.append((step, _answer(run_cli(["ask", "--backend", "none", "--json", QUESTION], data)),
                     path.read_bytes() if path.exists() else b""))
    return path, runs


def test_the_cli_answers_the_same_with_a_cold_warm_or_corrupt_cache(cache_runs):
    path, runs = cache_runs
    (_, cold, written), (_, warm, _), (_, corrupt, rewritten) = runs
    assert written, "the cold run wrote no cache"
    assert warm == cold and corrupt == cold
    assert "mlflow" in json.dumps(cold["recommendation"]).lower()
    # the truncated file was set aside and a whole one written in its place
    header, _, payload = marshal.loads(rewritten)
    assert header == regex_cache._HEADER and len(marshal.loads(payload)[0]) > 1000
    assert not list(path.parent.glob(".*.tmp"))


def test_every_cached_pattern_is_the_pattern_re_compiles(cache_runs):
    path, _ = cache_runs
    cache = regex_cache.RegexCache(path)
    assert len(cache) > 1000
    for (pattern, flags), entry in cache._entries.items():
        import _sre

        # Pattern equality compares the flags, the pattern and the compiled code itself
        assert _sre.compile(pattern, *entry) == _compiler.compile(pattern, flags), pattern[:120]


def test_anchors_kept_in_the_cache_are_the_derived_ones(cache_runs):
    path, _ = cache_runs
    regex_cache.enable(path)
    try:
        extractor = ProfileExtractor()
        kept = [(rx, _anchors(rx)) for rx, _, _ in extractor._rewrites]
        kept += [(r.regex, _anchors(r.regex)) for f in extractor._fields for r in f.rules]
    finally:
        regex_cache.disable()
    assert len(kept) > 300
    assert all(anchors == _derive_anchors(rx) for rx, anchors in kept)


def test_a_foreign_or_unwritable_cache_changes_nothing(tmp_path):
    foreign = tmp_path / "foreign.marshal"
    payload = marshal.dumps(({("a+", 0): (0, [1], 0, {}, (None,))}, {}))
    foreign.write_bytes(marshal.dumps((("other", "python"), hashlib.sha256(payload).digest(), payload)))
    assert len(regex_cache.RegexCache(foreign)) == 0
    # this interpreter's header, but a payload that is not what its checksum says: ignored whole
    damaged = tmp_path / "damaged.marshal"
    damaged.write_bytes(marshal.dumps((regex_cache._HEADER, hashlib.sha256(b"other").digest(), payload)))
    assert len(regex_cache.RegexCache(damaged)) == 0
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    try:
        cache = regex_cache.enable(blocker / "regex" / "compiled.marshal")  # its folder cannot be made
        unique = rf"(?P<n>\d+) engineers? on (k8s|kubernetes)(?#{uuid.uuid4().hex})"
        rx = re.compile(unique, re.IGNORECASE)
        assert cache is not None and cache.misses == 1 and len(cache) == 1
        assert rx.search("We have 12 Engineers on k8s")["n"] == "12"
        assert cache.save() is False  # kept in memory only, and no exception
    finally:
        regex_cache.disable()
    assert _compiler.compile is regex_cache._ORIGINAL
