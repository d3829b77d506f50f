"""Files written whole or not at all: one home for the temp-file-then-rename every cache and report uses."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


def replace_atomically(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Call `write` on a temp file beside `path`, then rename it over `path`: readers never see half a file,
    and a failed or killed write leaves the old one. Raises OSError; the temp file never stays behind."""
    # pid and thread in the name: two processes (or threads) writing the same cache never share a temp file
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as fh:
            write(fh)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_bytes_atomically(path: Path, data: bytes) -> None:
    replace_atomically(path, lambda fh: fh.write(data))
