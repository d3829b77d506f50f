"""Compiled regular expressions kept between runs of the command line.

Why: the lexicon, the reader and the quantity rules are ~1,700 regexes, and CPython compiles each one in pure
Python (its parser and code generator): 1.7 s of a 6 s cold `advisor ask`, every time, for the same patterns
(bench/bench_embedder.py measures the cold start). The compiled form is a list of integers that `_sre` turns
into a Pattern directly, so a cache keeps that list and skips the parser on the next start.

This leans on CPython internals (`re._parser`, `re._compiler._code`, `_sre.compile`). What keeps it safe:
- the cache file is keyed by the interpreter's exact version and `_sre`'s magic number and code size, so an
  upgraded Python never reads another version's code;
- the file carries a sha256 of its contents, so a damaged file is ignored whole;
- anything unexpected (a missing internal, a corrupt file, an entry `_sre` refuses) falls back to the normal
  compiler, pattern by pattern: the cache can make a start slower, never an answer different;
- tests compare every cached Pattern with a freshly compiled one (Pattern equality compares the compiled
  code) and run the CLI with the cache cold, warm and corrupt.
Only the command line enables it (`enable`, process-wide, before the advisor's modules are imported); the
library, the tests in-process and other programs importing `advisor` compile as usual.
"""

from __future__ import annotations

import hashlib
import marshal
import re
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from advisor.atomic import write_bytes_atomically

T = TypeVar("T")

_FORMAT = 2
# Patterns built from a question's own words would otherwise grow the file with every new question a
# long-running server sees; the advisor's own patterns are ~1,700.
_MAX_ENTRIES = 6000

try:  # the internals this relies on; without them `enable` does nothing
    import _sre
    from re import _compiler, _parser

    _ORIGINAL = _compiler.compile
    _HEADER: tuple | None = (_FORMAT, sys.version, _sre.MAGIC, _sre.CODESIZE, _sre.MAXREPEAT, _sre.MAXGROUPS)
except (ImportError, AttributeError):  # pragma: no cover - another Python implementation or version
    _HEADER = None


def _entry(pattern: str, flags: int) -> tuple:
    """What `re._compiler.compile` passes to `_sre.compile` after the pattern (its own steps, kept)."""
    parsed = _parser.parse(pattern, flags)
    code = [int(op) for op in _compiler._code(parsed, flags)]  # opcodes are an int subclass marshal refuses
    groupindex = dict(parsed.state.groupdict)
    indexgroup = [None] * parsed.state.groups
    for name, i in groupindex.items():
        indexgroup[i] = name
    return int(flags | parsed.state.flags), code, parsed.state.groups - 1, groupindex, tuple(indexgroup)


class RegexCache:
    """Compiled patterns (and values derived from patterns, `memo`) read from and written to one file."""

    def __init__(self, path: Path):
        self.path = path
        self._entries: dict[tuple[str, int], tuple] = {}
        self._memo: dict[tuple[str, str], object] = {}
        self._changed = False
        self._lock = threading.Lock()
        self.hits = self.misses = 0
        try:
            header, digest, payload = marshal.loads(path.read_bytes())
            # a checksum as well as the version: a damaged entry that still decodes must never become a Pattern
            if header == _HEADER and digest == hashlib.sha256(payload).digest():
                entries, memo = marshal.loads(payload)
                if isinstance(entries, dict) and isinstance(memo, dict):
                    self._entries, self._memo = entries, memo
        except (OSError, EOFError, ValueError, TypeError):  # missing, truncated or foreign: start empty
            pass

    def __len__(self) -> int:
        return len(self._entries)

    def compile(self, pattern, flags: int = 0):
        """Stands in for `re._compiler.compile` (called by `re` on its own in-process cache's misses)."""
        if type(pattern) is not str or flags & re.DEBUG:
            return _ORIGINAL(pattern, flags)
        flags = int(flags)  # a RegexFlag from callers that skip re.compile: marshal writes plain ints only
        key = (pattern, flags)
        entry = self._entries.get(key)
        if entry is not None:
            try:
                compiled = _sre.compile(pattern, *entry)
                self.hits += 1
                return compiled
            except Exception:  # an entry this _sre refuses: forget it, compile as usual
                self._entries.pop(key, None)
        self.misses += 1
        try:
            entry = _entry(pattern, flags)
            compiled = _sre.compile(pattern, *entry)
        except re.error:
            raise
        except Exception:  # the internals moved: this pattern is compiled as usual, and not kept
            return _ORIGINAL(pattern, flags)
        if len(self._entries) < _MAX_ENTRIES:
            with self._lock:
                self._entries[key] = entry
                self._changed = True
        return compiled

    def memo(self, kind: str, key: str, make: Callable[[], T]) -> T:
        """`make()`, kept under (kind, key); for values marshal can write (tuples, frozensets, strings)."""
        found = self._memo.get((kind, key))
        if found is not None:
            return found  # type: ignore[return-value]
        value = make()
        with self._lock:
            self._memo[(kind, key)] = value
            self._changed = True
        return value

    def save(self) -> bool:
        """Write the file if anything was added; False when it could not be written (a read-only data dir
        keeps the cache in memory only, as the other caches do)."""
        if not self._changed:
            return True
        try:
            with self._lock:
                payload = marshal.dumps((dict(self._entries), dict(self._memo)))
                self._changed = False
            write_bytes_atomically(self.path, marshal.dumps((_HEADER, hashlib.sha256(payload).digest(), payload)))
        except (OSError, ValueError):  # unwritable, or a memo value marshal cannot write
            return False
        return True


_ACTIVE: RegexCache | None = None


def enable(path: Path) -> RegexCache | None:
    """Compile through a cache kept at `path` from now on, in this process; None where the internals it
    needs are missing."""
    global _ACTIVE
    if _HEADER is None:
        return None
    if _ACTIVE is None or _ACTIVE.path != path:
        _ACTIVE = RegexCache(path)
        _compiler.compile = _ACTIVE.compile
    return _ACTIVE


def disable() -> None:
    global _ACTIVE
    if _HEADER is not None:
        _compiler.compile = _ORIGINAL
    _ACTIVE = None


def save() -> None:
    if _ACTIVE is not None:
        _ACTIVE.save()


def memo(kind: str, key: str, make: Callable[[], T]) -> T:
    """A value derived from a pattern, kept in the active cache; computed afresh when there is none."""
    return _ACTIVE.memo(kind, key, make) if _ACTIVE is not None else make()
