"""Turn corpus documents into chunks that know their section, kind and the tools they mention.

Plain-text documents (a web page copied as text) carry no markup: headings are bare lines, tables
are `|` rows without a separator, an FAQ is a question line followed by its answer. Markdown files
use `#` headings. Chunk text is always verbatim from the source, so any quote of it can be checked.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from advisor.corpus_data import NoiseRules, Vocabulary
from advisor.errors import CorpusError

ChunkKind = Literal["prose", "table", "table-row", "faq"]
DOCUMENT_SUFFIXES = (".txt", ".md")

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"(])")
_TERMINAL = tuple(".!?:;,")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_TABLE_SEPARATOR = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")
_BULLET = re.compile(r"^([-*•]|\d+[.)])\s+")


class Chunk(BaseModel):
    id: str = Field(description="Stable: source, section and position; never a content hash.")
    source: str = Field(description="File name inside the corpus folder.")
    section: list[str] = Field(description="Heading path, outermost first.")
    kind: ChunkKind
    text: str = Field(description="Verbatim source text (lines joined by newlines).")
    context: str = Field(default="", description="What the text needs to be understood alone.")
    tools: list[str] = Field(default_factory=list)

    @property
    def section_path(self) -> str:
        return " > ".join(self.section) or "(introduction)"

    @property
    def search_text(self) -> str:
        """What gets embedded and keyword-indexed: the text with its topic and context.

        Tuned on evals/retrieval.yaml (see advisor/retrieval_eval.py): the topic is the innermost heading
        up to its colon ("Kubeflow", "Total Cost of Ownership"), since long subtitles shared by a whole
        section pull its chunks together for the embedding model. A table row is written as
        "column: cell" lines and goes without the table's intro sentence, which every row shares.
        """
        topic = self.section[-1].split(":")[0].strip() if self.section else ""
        if self.kind == "table-row":
            return "\n".join(p for p in (topic, _row_as_fields(self.text)) if p)
        return "\n".join(p for p in (topic, self.context, self.text) if p)

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.search_text.encode()).hexdigest()[:16]


@dataclass
class Dropped:
    source: str
    line: int
    text: str


@dataclass
class ParseResult:
    chunks: list[Chunk] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)


def slugify(text: str, limit: int = 48) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower().replace("&", "and")).strip("-")
    return slug[:limit].rstrip("-") or "x"


def split_sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(text.strip()) if s]


def split_row(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def _row_as_fields(text: str) -> str:
    """A table-row chunk (header line, row line) as "column: cell" lines, each cell under its column."""
    lines = text.splitlines()
    if len(lines) != 2:
        return text
    header, row = split_row(lines[0]), split_row(lines[1])
    if len(header) != len(row):
        return text
    return "\n".join(f"{col}: {cell}" for col, cell in zip(header, row, strict=True))


# ---- line classification ------------------------------------------------------------------


@dataclass
class _Block:
    kind: Literal["heading", "paragraph", "bullet", "table", "break"]
    lines: list[str]
    lineno: int
    level: int | None = None  # explicit heading level (Markdown)


def _looks_like_heading(line: str) -> bool:
    return (
        not line.endswith(_TERMINAL)
        and len(line) <= 120
        and len(line.split()) <= 16
        and not line.startswith("|")
        and not _BULLET.match(line)
    )


def _blocks(text: str, markdown: bool, noise: NoiseRules, source: str,
            dropped: list[Dropped]) -> list[_Block]:
    blocks: list[_Block] = []
    raw = text.splitlines()
    for i, original in enumerate(raw, start=1):
        line = original.strip()
        if not line:
            blocks.append(_Block("break", [], i))
            continue
        if noise.is_noise_line(line):
            dropped.append(Dropped(source, i, line))
            blocks.append(_Block("break", [], i))
            continue
        prev = blocks[-1] if blocks else None
        if line.startswith("|"):
            if markdown and _MD_TABLE_SEPARATOR.match(line):
                continue
            if prev and prev.kind == "table":
                prev.lines.append(line)
            else:
                blocks.append(_Block("table", [line], i))
            continue
        if markdown and (m := _MD_HEADING.match(line)):
            blocks.append(_Block("heading", [m.group(2)], i, level=len(m.group(1))))
            continue
        if _BULLET.match(line):
            blocks.append(_Block("bullet", [line], i))
            continue
        if markdown:
            if prev and prev.kind in ("paragraph", "bullet") and not _BULLET.match(line):
                prev.lines.append(line)  # Markdown paragraphs and list items wrap over lines
            else:
                blocks.append(_Block("paragraph", [line], i))
            continue
        next_line = next((r.strip() for r in raw[i:] if r.strip()), "")
        if _looks_like_heading(line) and next_line:
            blocks.append(_Block("heading", [line], i))
        else:
            blocks.append(_Block("paragraph", [line], i))
    return blocks


# ---- assembly --------------------------------------------------------------------------------


def _strip_trailing_noise(lines: list[str], noise: NoiseRules, source: str, lineno: int,
                          dropped: list[Dropped]) -> list[str]:
    last = lines[-1]
    sentences = split_sentences(last)
    if len(sentences) > 1 and noise.is_noise_sentence(sentences[-1]):
        dropped.append(Dropped(source, lineno + len(lines) - 1, sentences[-1]))
        cut = last.rfind(sentences[-1])
        return [*lines[:-1], last[:cut].rstrip()]
    return lines


def _is_question(block: _Block) -> bool:
    text = " ".join(block.lines)
    return block.kind == "paragraph" and text.endswith("?") and len(text) <= 200


class _Builder:
    def __init__(self, source: str, vocab: Vocabulary):
        self.source = source
        self.stem = slugify(Path(source).stem, 64)
        self.vocab = vocab
        self.chunks: list[Chunk] = []
        self._counters: dict[str, int] = {}

    def next_n(self, key: str) -> int:
        self._counters[key] = self._counters.get(key, 0) + 1
        return self._counters[key]

    def section_slug(self, section: list[str]) -> str:
        return slugify(section[-1], 40) if section else "intro"

    def add(self, section: list[str], kind: ChunkKind, text: str, context: str = "",
            local_id: str | None = None) -> None:
        sec = self.section_slug(section)
        if local_id is None:
            local_id = f"{kind}-{self.next_n(sec + kind)}"
        chunk_id = f"{self.stem}#{sec}/{local_id}"
        # the heading names the tool a paragraph is about ("Honest limitations: Per-seat pricing ...")
        heading = section[-1] if section else ""
        tools = self.vocab.find_tools(f"{heading}\n{text}")
        self.chunks.append(Chunk(id=chunk_id, source=self.source, section=list(section), kind=kind,
                                 text=text, context=context, tools=tools))


def parse_document(source: str, text: str, vocab: Vocabulary, noise: NoiseRules) -> ParseResult:
    markdown = source.lower().endswith(".md")
    result = ParseResult()
    blocks = _blocks(text, markdown, noise, source, result.dropped)
    b = _Builder(source, vocab)

    stack: list[tuple[int, str]] = []  # (level, title)
    after: str = "break"  # what came before the current block: heading, content or break
    list_intro = ""
    last_paragraph = ""
    i = 0
    while i < len(blocks):
        blk = blocks[i]
        section = [t for _, t in stack]
        if blk.kind == "break":
            after = "break" if after != "heading" else "heading"
            i += 1
            continue
        if blk.kind == "heading":
            title = blk.lines[0]
            if blk.level is not None:
                level = blk.level
            elif after == "heading" and stack:
                level = stack[-1][0] + 1  # a heading right under a heading is its child
            elif after == "break" or not stack:
                level = 2  # a gap or a dropped promo line closes the subsection
            else:
                level = stack[-1][0]  # a heading after content is a sibling
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, title))
            after = "heading"
            list_intro = last_paragraph = ""
            i += 1
            continue
        if blk.kind == "table":
            rows = blk.lines
            header, body = rows[0], rows[1:]
            intro = split_sentences(last_paragraph)[-1] if last_paragraph else ""
            title = split_row(header)[0]
            t = b.next_n(b.section_slug(section) + "table")
            table_context = f"Table: {title}. {intro}".strip()
            b.add(section, "table", "\n".join(rows), table_context, local_id=f"table-{t}")
            for r, row in enumerate(body, start=1):
                b.add(section, "table-row", f"{header}\n{row}", table_context, local_id=f"table-{t}/row-{r}")
            after = "content"
            i += 1
            continue
        if blk.kind == "bullet":
            lines = _strip_trailing_noise(blk.lines, noise, source, blk.lineno, result.dropped)
            b.add(section, "prose", "\n".join(lines), list_intro)
            after = "content"
            i += 1
            continue
        # paragraph: an FAQ question takes the paragraph that answers it
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if _is_question(blk) and nxt is not None and nxt.kind == "paragraph" and not _is_question(nxt):
            question = " ".join(blk.lines)
            answer = _strip_trailing_noise(nxt.lines, noise, source, nxt.lineno, result.dropped)
            b.add(section, "faq", "\n".join([*blk.lines, *answer]), local_id=f"faq/{slugify(question, 56)}")
            after = "content"
            i += 2
            continue
        lines = _strip_trailing_noise(blk.lines, noise, source, blk.lineno, result.dropped)
        text_ = "\n".join(lines)
        b.add(section, "prose", text_)
        last_paragraph = " ".join(lines)
        list_intro = last_paragraph if last_paragraph.endswith(":") else list_intro
        after = "content"
        i += 1

    ids = [c.id for c in b.chunks]
    if len(ids) != len(set(ids)):
        dupes = sorted({x for x in ids if ids.count(x) > 1})
        raise CorpusError(f"{source}: duplicate chunk ids {dupes[:3]}")
    result.chunks = b.chunks
    return result


def corpus_files(corpus_dir: Path) -> list[Path]:
    if not corpus_dir.is_dir():
        raise CorpusError(f"corpus folder not found: {corpus_dir}")
    return sorted(p for p in corpus_dir.iterdir() if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES)


def load_corpus(corpus_dir: Path, vocab: Vocabulary | None = None,
                noise: NoiseRules | None = None) -> ParseResult:
    vocab = vocab or Vocabulary.load(corpus_dir)
    noise = noise or NoiseRules.load(corpus_dir)
    total = ParseResult()
    for path in corpus_files(corpus_dir):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CorpusError(f"cannot read {path.name}: {exc.__class__.__name__}") from exc
        part = parse_document(path.name, text, vocab, noise)
        total.chunks.extend(part.chunks)
        total.dropped.extend(part.dropped)
    if not total.chunks:
        raise CorpusError(f"no .txt or .md documents with text in {corpus_dir}")
    return total
