"""Loaders for the data files that live beside the documents in the corpus folder."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, Field, TypeAdapter, ValidationError, model_validator

from advisor.errors import CorpusError

# libyaml's loader reads the held-out sets (up to 2 MB) about seven times faster than the pure-Python one and
# builds the same objects; the pure-Python loader stands in where PyYAML was built without libyaml.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(path: Path) -> object:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
    except FileNotFoundError as exc:
        raise CorpusError(f"missing corpus data file: {path}") from exc
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise CorpusError(f"unreadable corpus data file {path}: {exc.__class__.__name__}") from exc


def validate(model: type[BaseModel], data: object, path: Path) -> BaseModel:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise CorpusError(f"invalid {path.name}: {where}: {first['msg']}") from exc


def regex_error(pattern: str) -> str | None:
    """Why `pattern` is not a regex, or None: for validators of regexes kept in data files."""
    try:
        re.compile(pattern)
    except re.error as exc:
        return str(exc)
    return None


def load_unique(path: Path | str, item: type[BaseModel]) -> list:
    """A YAML list of `item` records (eval cases, labelled sentences), validated, their ids unique."""
    path = Path(path)
    data = load_yaml(path)
    try:
        items = TypeAdapter(list[item]).validate_python(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise CorpusError(f"invalid {path.name}: {'.'.join(str(p) for p in first['loc'])}: {first['msg']}") from exc
    seen: set[str] = set()
    for record in items:
        if record.id in seen:
            raise CorpusError(f"{path.name}: duplicate id {record.id!r}")
        seen.add(record.id)
    return items


class Tool(BaseModel):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    name: str
    role: Literal["core", "alternative", "component", "infrastructure"]
    aliases: list[str]
    exact: bool = Field(default=False, description="Match aliases case-sensitively.")
    part_of: str | None = Field(default=None, description="The compared tool this component belongs to: a "
                                "follow-up about it ('so where does KServe come in') is about that tool.")
    epithets: list[str] = Field(default=[], description="Regexes (case-insensitive) for a description that names "
                                "the tool without its name: 'the one with the nice dashboards', 'the pipelines one'.")

    @model_validator(mode="after")
    def _epithets_compile(self) -> Tool:
        for e in self.epithets:
            if (error := regex_error(e)) is not None:
                raise ValueError(f"tool {self.id!r}: epithet {e!r}: {error}")
        return self


class UncoveredTool(BaseModel):
    name: str
    aliases: list[str]
    exact: bool = Field(default=False, description="Match aliases case-sensitively (names that are words).")


def _alias_pattern(aliases: list[str], exact: bool) -> re.Pattern[str]:
    alts = "|".join(re.escape(a) for a in sorted(aliases, key=len, reverse=True))
    return re.compile(rf"(?<![\w&])(?:{alts})(?![\w&])", 0 if exact else re.IGNORECASE)


class Vocabulary(BaseModel):
    tools: list[Tool]
    uncovered: list[UncoveredTool] = []

    @model_validator(mode="after")
    def _owners_are_compared(self) -> Vocabulary:
        compared = {t.id for t in self.tools if t.role in ("core", "alternative")}
        for t in self.tools:
            if t.part_of is not None and t.part_of not in compared:
                raise ValueError(f"tool {t.id!r}: part_of {t.part_of!r} is not a compared tool's id")
        return self

    @classmethod
    def load(cls, corpus_dir: Path) -> Vocabulary:
        path = corpus_dir / "tools.yaml"
        return validate(cls, load_yaml(path), path)  # type: ignore[return-value]

    @cached_property
    def epithets(self) -> dict[str, re.Pattern[str]]:
        """Each tool's descriptions ("the pipelines one"), one pattern a tool that has any."""
        return {t.id: re.compile(rf"\b(?:{'|'.join(t.epithets)})\b", re.IGNORECASE) for t in self.tools if t.epithets}

    @cached_property
    def _patterns(self) -> list[tuple[str, re.Pattern[str]]]:
        return [(t.id, _alias_pattern(t.aliases, t.exact)) for t in self.tools] + list(self.epithets.items())

    @cached_property
    def _uncovered_patterns(self) -> list[tuple[str, re.Pattern[str]]]:
        return [(u.name, _alias_pattern(u.aliases, u.exact)) for u in self.uncovered]

    def tool(self, tool_id: str) -> Tool:
        for t in self.tools:
            if t.id == tool_id:
                return t
        raise KeyError(tool_id)

    def find_tools(self, text: str) -> list[str]:
        """Tool ids mentioned in `text`, in order of first mention."""
        hits = [(m.start(), tid) for tid, pat in self._patterns if (m := pat.search(text))]
        return list(dict.fromkeys(tid for _, tid in sorted(hits)))

    def mentions(self, text: str) -> list[tuple[int, str]]:
        """(position, tool id) of every mention, in order."""
        return [(start, tid) for start, _, tid in self.spans(text)]

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, tool id) of every mention, in order."""
        return sorted((m.start(), m.end(), tid) for tid, pat in self._patterns for m in pat.finditer(text))

    def gaps(self, text: str, keep: Callable[[str], bool]) -> list[tuple[int, str]]:
        """(where it starts, the words) between each two neighbouring mentions of tools `keep` accepts:
        " to " in "W&B to MLflow"."""
        spans = [(a, b) for a, b, t in self.spans(text) if keep(t)]
        return [(end, text[end:start]) for (_, end), (start, _) in zip(spans, spans[1:], strict=False)]

    def compared(self, tool_ids: list[str]) -> list[str]:
        """The tools the corpus compares (core and alternatives), without components or infrastructure."""
        return [t for t in tool_ids if self.tool(t).role in ("core", "alternative")]

    def owners(self, tool_ids: list[str]) -> list[str]:
        """The compared tools that the components named belong to (KServe -> Kubeflow)."""
        return list(dict.fromkeys(p for t in tool_ids if (p := self.tool(t).part_of)))

    def only_alternatives(self, tool_ids: list[str]) -> bool:
        """Some tools are named and every one is an alternative the article covers in brief (its picks are among
        the core three): a question about them alone asks for their row, not for the pick."""
        return bool(tool_ids) and all(self.tool(t).role == "alternative" for t in tool_ids)

    def find_uncovered(self, text: str) -> list[str]:
        return list(dict.fromkeys(name for name, pat in self._uncovered_patterns if pat.search(text)))


class NoiseRules(BaseModel):
    lines: list[str]
    trailing_sentences: list[str] = []

    @classmethod
    def load(cls, corpus_dir: Path) -> NoiseRules:
        path = corpus_dir / "noise.yaml"
        if not path.exists():
            return cls(lines=[])
        return validate(cls, load_yaml(path), path)  # type: ignore[return-value]

    @cached_property
    def line_patterns(self) -> list[re.Pattern[str]]:
        return [re.compile(p) for p in self.lines]

    @cached_property
    def sentence_patterns(self) -> list[re.Pattern[str]]:
        return [re.compile(p) for p in self.trailing_sentences]

    def is_noise_line(self, line: str) -> bool:
        return any(p.fullmatch(line) for p in self.line_patterns)

    def is_noise_sentence(self, sentence: str) -> bool:
        return any(p.fullmatch(sentence) for p in self.sentence_patterns)
