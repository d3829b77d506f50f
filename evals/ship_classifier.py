"""Package the meaning reader's trained classifier: `advisor/data/meaning_classifier.npz`.

The classifier is trained on meaning.yaml's examples and the ~10,000 clauses of meaning_learned.yaml; a new
data dir would otherwise embed all of them on its first question (a minute here). The file records what it
was trained on (`Reader.classifier_key`: the examples, the normaliser's lexicon and code, the learned file,
the embedder), and the reader uses it only when that matches; tests/test_understanding.py fails while it is
stale. Run `python evals/ship_classifier.py` after changing any of those (evals/learn_clauses.py runs it), and
commit the file it writes.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

OUT = Path(__file__).parent.parent / "advisor" / "data" / "meaning_classifier.npz"


def ship(data_dir: Path | None = None) -> Path:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from advisor.service import Advisor
    from advisor.settings import Settings
    from advisor.understanding.examples import ship_linear

    paths = {"data_dir": data_dir} if data_dir else {}
    reader = Advisor(Settings(llm={"mode": "none"}, paths=paths)).reader
    bank = reader.meaning_bank
    key = reader.classifier_key(bank)
    with tempfile.TemporaryDirectory() as scratch:  # trained here, never taken from a cache or the old file
        linear = reader.train_classifier(bank, key, Path(scratch))
    ship_linear(linear, key, reader.config.meaning.classifier.c, OUT)
    return OUT


def main() -> int:
    path = ship()
    print(f"{path}: {path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
