"""The README opens with the two fresh-machine commands, and CI runs the test one verbatim."""

from __future__ import annotations

import re

from conftest import ROOT


def _commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```bash\n(.+?)\n```", text)[:2]


def test_readme_opens_with_run_and_test_commands():
    run, test = _commands()
    assert run.startswith("python3 -m venv .venv && ") and ".venv/bin/pip install -e '.[local]'" in run
    assert run.endswith(".venv/bin/advisor serve")  # the main job is the chat UI
    assert test.endswith(".venv/bin/pytest")


def test_ci_runs_the_readme_test_command():
    _, test = _commands()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test in ci.splitlines()
