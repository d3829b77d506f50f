"""The corpus's tables as facts, cell by cell, and which row a question asks about.

Every table row the chunker produced (`kind == "table-row"`: its header line and its row line, verbatim) is
read into a `Row`. A table whose columns are tools (the quick reference, costs, lock-in, LLM features,
integrations) gives one cell per tool: (tool, dimension = the row's label, value). A table whose rows are
things (alternatives, archetypes, stack patterns, migration paths) gives one cell per column: (the row's
entity, dimension = the column header, value). Each cell cites its row's chunk and the verbatim row.

`TableReader.match` finds the row a question asks about: the question (the three tools' names taken out:
they pick columns, not rows) is embedded with the index's model and compared with each row's label and
the aliases in `advisor/data/fact_table.yaml`; an alias or a word pointing at the row's table raises the
score. Below the floor there is no row, and the answer stays with the prose passages: a neighbouring cell
is never presented as the answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from advisor.chunks import Chunk, split_row
from advisor.corpus_data import Vocabulary, load_yaml, validate
from advisor.profile import CORE_TOOLS
from advisor.understanding.examples import EmbeddedBank, data_file, embed_queries
from advisor.understanding.quantities import number_words, quantity_reader
from advisor.understanding.reading import UnderstandingConfig

MIGRATION_TABLE = "Migration Path"  # the migration-paths table's first header cell
COST_TABLE = "Cost Component"  # the cost table's first header cell
COST_ROWS_ELSEWHERE = ("Cost model", "License type")  # rows of other tables a cost question may ask for


class Cell(BaseModel):
    """One fact of a table: `entity`'s `dimension` is `value`, cited by its row."""

    entity: str = Field(description="A tool id, or the row's label where the row is not a tool.")
    dimension: str
    value: str
    chunk: str = Field(description="The row's chunk id.")
    row: str = Field(description="The verbatim row, the citation's quote.")


@dataclass(frozen=True)
class Row:
    chunk: str
    table: str  # the header's first cell: "Comparison Dimension", "Alternative Tool", …
    label: str  # the row's first cell
    header: tuple[str, ...]
    cells: tuple[str, ...]
    row: str  # verbatim
    columns: tuple[str | None, ...]  # the tool id each value column holds (tool tables), else None
    entity: str | None  # the tool the row is about (entity tables: "ZenML" -> zenml)

    @property
    def by_tool(self) -> bool:
        return any(self.columns)

    def pairs(self) -> list[tuple[str, str]]:
        """(column header, cell) of the value columns."""
        return list(zip(self.header[1:], self.cells[1:], strict=False))

    def facts(self) -> list[Cell]:
        if self.by_tool:
            return [Cell(entity=t or h, dimension=self.label, value=v, chunk=self.chunk, row=self.row)
                    for t, (h, v) in zip(self.columns, self.pairs(), strict=False)]
        return [Cell(entity=self.entity or self.label, dimension=h, value=v, chunk=self.chunk, row=self.row)
                for h, v in self.pairs()]


class FactTable:
    """Every row of every table in the corpus."""

    def __init__(self, rows: list[Row]):
        self.rows = rows
        self.by_chunk = {r.chunk: r for r in rows}

    @classmethod
    def from_chunks(cls, chunks: list[Chunk] | dict[str, Chunk], vocab: Vocabulary) -> FactTable:
        rows = []
        for chunk in (chunks.values() if isinstance(chunks, dict) else chunks):
            if chunk.kind != "table-row":
                continue
            lines = chunk.text.splitlines()
            if len(lines) != 2:
                continue
            header, cells = split_row(lines[0]), split_row(lines[1])
            if len(header) < 2 or len(header) != len(cells):
                continue
            columns = tuple(_one_core(vocab.find_tools(h)) for h in header[1:])
            if sum(c is not None for c in columns) < 2:  # a table of things, not of tools
                columns = tuple(None for _ in header[1:])
            found = vocab.compared(vocab.find_tools(cells[0]))
            entity = found[0] if found and not any(columns) else None
            rows.append(Row(chunk=chunk.id, table=header[0], label=cells[0], header=tuple(header),
                            cells=tuple(cells), row=lines[1], columns=columns, entity=entity))
        return cls(rows)

    def cells(self) -> list[Cell]:
        return [c for r in self.rows for c in r.facts()]

    def cell(self, entity: str, dimension: str) -> Cell | None:
        return next((c for c in self.cells() if c.entity == entity and c.dimension == dimension), None)

    def row(self, label: str | None) -> Row | None:
        """The row labelled `label` (the first, in corpus order)."""
        return next((r for r in self.rows if r.label == label), None) if label else None


def _one_core(ids: list[str]) -> str | None:
    core = [i for i in ids if i in CORE_TOOLS]
    return core[0] if len(core) == 1 else None


# ---- which row a question asks about --------------------------------------------------------------------

class TableReaderConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    floor: float = Field(ge=0, le=2, description="Least score for a row to be the answer.")
    min_meaning: float = Field(ge=0, le=1, description="Least similarity of the row itself, boosts aside.")
    margin: float = Field(ge=0, le=1, description="How far a row must lead a row of another dimension to be "
                          "the only one shown (else the runner-up is shown beneath it).")
    alias_boost: float = Field(ge=0, le=1, description="Added when one of the row's aliases is in the question.")
    table_boost: float = Field(ge=0, le=1, description="Added when a word pointing at the row's table is there.")
    entity_boost: float = Field(ge=0, le=1, description="Added when the row's entity (ZenML, an archetype) is named.")
    tables: dict[str, list[str]] = Field(default_factory=dict, description="Table (its first header cell) -> "
                                         "words that point at it.")
    rows: dict[str, list[str]] = Field(default_factory=dict, description="Row label -> phrases people use for it.")
    columns: dict[str, list[str]] = Field(default_factory=dict, description="Column header of a table of "
                                          "things -> words that ask for that column.")
    asks_for_a_pick: list[str] = Field(min_length=1, description="Words of a question that wants a "
                                       "recommendation, not a table row.")
    premises: PremiseConfig
    not_aliases: list[str] = Field(default_factory=list, description="Phrases that hold a row's phrase in "
                                   "another sense (\"in that setup\" is an arrangement, not the setting up); "
                                   "blanked before the rows' phrases are looked for.")
    cost_rows: list[str] = Field(min_length=1, description="The rows whose cells for the tool a cost answer "
                                 "adds when no row is asked about (licence, infrastructure, setup, headcount).")
    cost_parts: dict[str, list[str]] = Field(default_factory=dict, description="Cost row -> plain words for "
                                             "that part of a cost (\"infrastructure and people\"): a cost question "
                                             "naming parts gets each part's cell.")
    whole_tables: list[str] = Field(default_factory=list, description="Tables (their first header cell) a "
                                    "question about one tool answers with the tool's cell of every row when it "
                                    "points at the table but at no row of it (\"and the lock-in?\").")
    dimension_rows: dict[str, str] = Field(default_factory=dict, description="Dimension of a follow-up "
                                           "(understanding.yaml `dimensions`) -> the row that answers it when no "
                                           "row is close to the words (\"could kubeflow be up in time?\").")
    about_the_tools: list[str] = Field(min_length=1, description="Words that ask about the tools without "
                                       "naming one (\"which of them\").")


@dataclass
class RowMatch:
    row: Row
    score: float
    how: str  # what decided: "meaning 0.71 + alias 'on-prem'"
    runner_up: Row | None = None
    columns: tuple[int, ...] = ()  # value columns the question asks for (tables of things)
    # the question asks for this row itself (one of its phrases, or its meaning alone clears the floor),
    # not merely for its table: "how much would it cost us?" is near every cost row and asks for none
    pointed: bool = True


_FILLER = r"\s+(?:(?:the|our|your|its|their|a|an|my|all|big|large|bigger|larger)\s+)?"


def _words(words: list[str], filler: bool = False) -> re.Pattern[str]:
    """Phrases matched at a word start, case-insensitively; a phrase ending in a letter may take an ending
    ("integrat" matches "integrates"). With `filler`, a determiner or a size word may come between a phrase's
    words ("serves models" matches "serves the models", "serves big models")."""
    def phrase(w: str) -> str:
        return _FILLER.join(re.escape(p) for p in w.split()) if filler else re.escape(w)
    return re.compile(r"(?<![\w])(?:" + "|".join(phrase(w) for w in sorted(words, key=len, reverse=True))
                      + r")", re.I)


class TableReader:
    def __init__(self, table: FactTable, vocab: Vocabulary, embedder, cache_dir: Path | None,
                 config: TableReaderConfig | None = None):
        self.table = table
        self.vocab = vocab
        self.embedder = embedder
        self.cache_dir = cache_dir
        self.config = config or load_config()
        self._tables = {t: _words(ws) for t, ws in self.config.tables.items()}
        self._rows = {r: _words(ws, filler=True) for r, ws in self.config.rows.items()}
        self._columns = {c: _words(ws) for c, ws in self.config.columns.items()}
        self._pick = _words(self.config.asks_for_a_pick)
        self._about = _words(self.config.about_the_tools)
        names = [a for t in vocab.tools if t.id in CORE_TOOLS for a in t.aliases]
        self._core = _words(names)
        # ("what are the drawbacks of the weights one?": a description that names a tool chooses a column too)
        self._epithets = [rx for tid, rx in vocab.epithets.items() if tid in CORE_TOOLS]
        # (a dimension's word in another sense is a row's phrase in that sense too: one list, understanding.yaml)
        not_aliases = [*self.config.not_aliases, *UnderstandingConfig.load().not_dimensions]
        self._not_aliases = _words(not_aliases) if not_aliases else None
        self._cost_parts = {label: _words(ws) for label, ws in self.config.cost_parts.items()}
        # rows of a table of things whose label a question may name whole ("the On-Premises Regulated Stack")
        self._named_whole = {r.chunk: r.label.lower() for r in table.rows
                             if not r.by_tool and r.entity is None and len(r.label) > 8}

    @cached_property
    def bank(self) -> EmbeddedBank:
        groups: dict[str, list[str]] = {}
        for r in self.table.rows:
            texts = [r.label, f"{r.label} ({r.table})"]
            if not r.by_tool:  # "ZenML best for", "Metaflow weakest at"
                texts += [f"{r.label} {h}" for h in r.header[1:]]
            groups[r.chunk] = texts + list(self.config.rows.get(r.label, []))
        return EmbeddedBank.build(groups, self.embedder, self.cache_dir, "table-rows")

    def match(self, question: str, vector: np.ndarray | None = None) -> RowMatch | None:
        """The row `question` asks about, or None when no row is close enough."""
        if not self.table.rows:
            return None
        if vector is None:
            vector = np.asarray(self.embedder.embed_query(self.strip(question)), dtype=np.float32)
        sims = self.bank.similarities(vector[None, :])[0]
        best = {lab: s for lab, s, _ in self.bank.best_per_label(sims)}
        named = set(self.vocab.compared(self.vocab.find_tools(question))) - set(CORE_TOOLS)
        pointed = {t for t, rx in self._tables.items() if rx.search(question)}
        phrased = self._not_aliases.sub(" ", question) if self._not_aliases else question
        low = question.lower()
        scored = []
        for r in self.table.rows:
            score, how = float(best.get(r.chunk, 0.0)), [f"meaning {best.get(r.chunk, 0.0):.2f}"]
            alias = self._rows.get(r.label)
            if alias is not None and (m := alias.search(phrased)):
                score += self.config.alias_boost
                how.append(f"alias {m.group()!r}")
            tab = self._tables.get(r.table)
            if tab is not None and (m := tab.search(question)):
                score += self.config.table_boost
                how.append(f"table word {m.group()!r}")
            if r.chunk in self._named_whole and self._named_whole[r.chunk] in low:
                score += self.config.entity_boost  # "the 'On-Premises Regulated Stack'", named whole
                how.append("names the row")
            # "how does Kubeflow connect with Azure ML?" names Azure ML but asks the integrations table
            elif r.entity is not None and r.entity in named and (not pointed or r.table in pointed):
                score += self.config.entity_boost
                how.append(f"names {r.entity}")
            scored.append((score, r, " + ".join(how)))
        aliased = {r.chunk for _, r, h in scored if "alias " in h}
        scored.sort(key=lambda x: -x[0])
        score, row, how = scored[0]
        if score < self.config.floor or best.get(row.chunk, 0.0) < self.config.min_meaning:
            # ("how many ops people does kubeflow eat once it's in prod?? trying to work out if it's a whole
            # person or like half of one": the asking sentence alone, when the rest drowns its meaning)
            asking = _asking_sentence(question)
            # (an alias alone, "SLA" in "uptime SLA in Antarctica", does not make a row the answer)
            return None if asking is None else self.match(asking)
        if "alias " not in how and "table word " not in how and (asking := _asking_sentence(question)) is not None:
            # ("ok back to reality, we can use SaaS just fine. what's the lock-in story with the one you suggested
            # first?": the row the question names in its own words, not the one the statement before it is near)
            alt = self.match(asking)
            if alt is not None and ("alias " in alt.how or "table word " in alt.how):
                return alt
        runner = next((r for s, r, _ in scored[1:] if r.label != row.label or r.table != row.table), None)
        second = next((s for s, r, _ in scored[1:] if r is runner), 0.0)
        runner_up = runner if runner is not None and score - second < self.config.margin else None
        return RowMatch(row=row, score=round(score, 3), how=how, runner_up=runner_up,
                        columns=self.columns_asked(row, question),
                        pointed=row.chunk in aliased or best.get(row.chunk, 0.0) >= self.config.floor)

    def cost_parts(self, question: str) -> list[Row]:
        """The cost rows whose parts a cost question names ("what does Kubeflow cost us in infrastructure and
        people?": the infrastructure and the headcount rows), in the config's order."""
        return [row for label, rx in self._cost_parts.items()
                if rx.search(question) and (row := self.table.row(label)) is not None]

    def cost_rows(self) -> list[Row]:
        """The rows that together make a tool's cost (licence, infrastructure, setup, headcount), in the config's
        order."""
        return [row for label in self.config.cost_rows if (row := self.table.row(label)) is not None]

    def licence_row(self) -> Row | None:
        """The cost row of each tool's licence price (the first of the cost rows that is a price row)."""
        return next((row for row in self.cost_rows() if row.label in self.config.premises.price_rows), None)

    def row_match(self, label: str) -> RowMatch | None:
        """The row labelled `label` (the first, in corpus order), as a match of its own."""
        row = self.table.row(label)
        return None if row is None else RowMatch(row=row, score=1.0, how=f"the {label!r} row")

    def dimension_row(self, dimension: str | None) -> RowMatch | None:
        """The row that stands for a dimension of a question (`dimension_rows`: setup, lock-in, …), if it has one."""
        label = self.config.dimension_rows.get(dimension or "")
        return self.row_match(label) if label else None

    def whole_table(self, match: RowMatch, question: str) -> list[Row]:
        """The rows of the matched row's table when the question points at that table but names none of its
        rows (no row phrase of that table in it): empty otherwise."""
        if match.row.table not in self.config.whole_tables or "alias " in match.how:
            return []
        rows = [r for r in self.table.rows if r.table == match.row.table]
        if any((rx := self._rows.get(r.label)) is not None and rx.search(question) for r in rows):
            return []
        return [match.row, *(r for r in rows if r is not match.row)]

    def about_migration(self, text: str) -> bool:
        """The message speaks of a move between tools (the migration table's words)."""
        rx = self._tables.get(MIGRATION_TABLE)
        return bool(rx is not None and rx.search(text))

    def answers(self, text: str, tools: list[str], describes_team: bool, names_row: bool = False) -> bool:
        """Whether a table row, rather than a recommendation or a stack, answers `text`: it describes no team,
        asks for no pick ("which tool should we use?") and no combination, and asks about the tools (names
        one, or "the three", "each of them"), or asks what the article puts in a row it names ("what maturity
        level does the article put the enterprise platform team at?")."""
        if self._pick.search(text):
            return False
        if names_row and _THE_ARTICLE.search(text):  # (the row's own words describe its team, not ours)
            return True
        return not describes_team and bool(tools or self._about.search(text))

    def names_the_three(self, text: str) -> bool:
        """The message speaks of the tools without naming one ("these three", "each of them"), or names a row
        of a table of things ("the Research-to-Production Bridge")."""
        low = text.lower()
        return bool(self._about.search(text)) or any(label in low for label in self._named_whole.values())

    def columns_asked(self, row: Row, question: str) -> tuple[int, ...]:
        """Value columns of a table of things that the question names ("weakest at" -> Weakest At)."""
        if row.by_tool:
            return ()
        return tuple(i for i, h in enumerate(row.header[1:])
                     if (rx := self._columns.get(h)) is not None and rx.search(question))

    def embed(self, texts: list[str]) -> np.ndarray:
        return embed_queries(self.embedder, texts)

    def strip(self, question: str) -> str:
        """The question without the three tools' names: they choose columns, not the row."""
        for rx in self._epithets:
            question = rx.sub(" ", question)
        return " ".join(self._core.sub(" ", question).split()).lower()


def load_config(path: Path | None = None) -> TableReaderConfig:
    path = path or data_file("fact_table.yaml")
    return validate(TableReaderConfig, load_yaml(path), path)  # type: ignore[return-value]


# ---- premises the cells contradict -------------------------------------------------------------------------

class PremiseConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    assert_openers: list[str] = Field(description="Words that open a clause taken for granted (\"since\").")
    tag_endings: list[str] = Field(description="Endings that make a question a claim seeking assent (\"right?\").")
    asks: list[str] = Field(description="Words that open a question rather than a claim.")
    negations: list[str] = Field(description="Words that deny what the clause says (\"doesn't\", \"no\").")
    strong: list[str] = Field(description="Words claiming more than a qualified cell gives (\"natively\").")
    negative_cells: list[str] = Field(description="Cell openings that mean no (\"No\", \"None\").")
    positive_cells: list[str] = Field(description="Cell openings that mean yes (\"Yes\", \"Native\").")
    rows: list[str] = Field(description="Rows whose cells say yes or no to a capability, a need or a deployment.")
    price_rows: list[str] = Field(default_factory=list, description="Rows whose cells say free or paid (the licence, "
                                  "the cost model): a claim of the other kind clashes.")
    paid_words: list[str] = Field(default_factory=list, description="Words claiming a tool is paid for (\"priced per "
                                  "seat\").")
    free_words: list[str] = Field(default_factory=list, description="Words claiming a tool is free (\"open source\").")
    free_cells: list[str] = Field(default_factory=list, description="Cell openings that mean free.")
    paid_cells: list[str] = Field(default_factory=list, description="Cell words that mean paid (\"$\", "
                                  "\"Proprietary\").")
    # ordered cells ("Low", "Medium to High"): a claim that a tool is highest or lowest on such a row
    ordinal_rows: dict[str, list[str]] = Field(default_factory=dict, description="Rows with ordered cells, and the "
                                               "words that name each in a claim (\"lock-in\").")
    ordinal_scale: dict[str, float] = Field(default_factory=dict, description="Cell openings and their rank.")
    highest: list[str] = Field(default_factory=list, description="Words claiming the top of an ordered row.")
    lowest: list[str] = Field(default_factory=list, description="Words claiming the bottom of an ordered row.")
    # a move between two tools: its time and its losses against the migration table's row
    durations: dict[str, float] = Field(default_factory=dict, description="Time words and their length in days.")
    lossless: list[str] = Field(default_factory=list, description="Words claiming a move loses nothing.")
    easy: list[str] = Field(default_factory=list, description="Words claiming a move is easy.")
    hard_cells: list[str] = Field(default_factory=list, description="Effort cells that mean hard.")
    # a yearly figure for a team size against the cost table's estimate rows
    estimate_rows: dict[int, str] = Field(default_factory=dict, description="Team size -> the estimate row for it.")
    # a team size a tool is claimed to need, against the row of the sizes each tool suits
    size_row: str | None = Field(default=None, description="The row of team sizes each tool suits.")
    size_words: list[str] = Field(default_factory=list, description="Words claiming a size a tool suits (\"sweet "
                                  "spot\", \"only makes sense once\").")


# a team size bound said without a number: "solo" is at most one person
_SOLO = re.compile(r"\bsolo\b")
_BARE_END = re.compile(r"\s*(?:$|[.,;:!?)]|(?:or|and|plus|then|you|we|it)\b)")
_UNITS = r"minute|hour|day|week|month|year|morning|afternoon|evening|weekend"
_UNIT = re.compile(rf"\b({_UNITS})s?\b")
# a part of a day is hours of work, a weekend days ("Kubeflow only takes an afternoon to stand up")
_UNIT_AS = {"morning": "hour", "afternoon": "hour", "evening": "hour", "weekend": "day"}
# a time said as when, not how long: "we set up kubeflow last year", "three weeks ago", "per month"
_WHEN = re.compile(rf"\b(?:last|next|this|that|per|each|every|same|the\s+(?:past|last|next))\s+(?:\w+\s+)?"
                   rf"(?:{_UNITS})s?\b|"
                   r"\b(?:minute|hour|day|week|month|year)s?\s+ago\b")


def _units(text: str) -> set[str]:
    return {_UNIT_AS.get(u, u) for u in _UNIT.findall(_WHEN.sub(" ", text.lower()))}


_AMOUNT = re.compile(r"(\$\s*)?(\d[\d,]*(?:\.\d+)?)\s*(k|K|thousand|grand|m|M|million)?"
                     r"(?=\s*(?:/\s*(?:yr|year)|a\s+year|"
                     r"per\s+year|per\s+annum|annually|yearly|/\s*y\b|a\s+yr|each\s+year))")
_CELL_MONEY = re.compile(r"\$(\d[\d,]*)")


def _team_size(low: str) -> int | None:
    """The head count a claim gives ("for 10 people", "a team of 10", "10 seats"), in a text whose numbers are
    digits, as the shared quantity reader counts people."""
    return next((q.value for q in quantity_reader().read(low) if q.counts == "people"), None)


_DURATION = re.compile(r"\b(?:(\d+(?:\.\d+)?|a|an|one|two|three|four|five|six|eight|ten|a\s+couple\s+of|couple\s+of|"
                       r"a\s+few|few)[\s-]+)?(hour|morning|afternoon|evening|day|weekend|week|fortnight|month|year|sprint)s?\b")
_SMALL = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "eight": 8, "ten": 10,
          "a couple of": 2, "couple of": 2, "a few": 3, "few": 3}
_TIER = re.compile(r"\b(teams|free|pro|starter|basic|standard|personal|academic|team|any|every|all|cheapest|"
                   r"lowest)\s+(?:(?:w&b|wandb|weights\s+&\s+biases)\s+)?(?:tier|plan|subscription|licen[cs]e)s?\b")
_OTHER_APACHE = re.compile(r"\bapache\s+(?:spark|airflow|kafka|beam|flink|arrow|hadoop|hive|superset)\b", re.I)
# what is free or paid besides the licence: a managed offering, a platform's subscription, a plan, support
_NOT_THE_LICENCE = re.compile(r"\b(?:databricks|managed|hosted|enterprise|support|compute|infra(?:structure)?|"
                              r"subscription|credits?|trial|students?|academics?|research(?:ers)?|individuals?|"
                              r"personal|tier|plan)\b", re.I)
# between a tool and a rank said of it: "W&B has the", "Kubeflow's is the", "MLflow carries the"
_PREDICATES = re.compile(r"^(?:'s)?\s*(?:\w+\s+){0,2}?(?:has|have|is|are|carries|carry|brings|bring|presents|present|"
                         r"comes\s+with|with|poses|pose|means|gives|offers)\s+(?:by\s+far\s+)?(?:the\s+)?$")
# portable across clouds or Kubernetes providers, which the article supports ("any K8s provider"), is not the
# portability across orchestrators its pipeline DSL lacks
_ACROSS_CLOUDS = re.compile(r"\b(?:clouds?|providers?|k8s|kubernetes|gke|eks|aks|aws|azure|gcp|on-prem)\b", re.I)
_NEVER = re.compile(r"(?!x)x")  # a word list left empty matches nothing
# a part of a question whose subject is the asker's team
_WE_FIRST = re.compile(r"^\W*(?:(?:and|but|so|also|plus)\s+)?(?:we|i|our|us|we're|i'm|we've|we'd)\b", re.I)
_FREE_TIER = re.compile(r"\bfree\s+(?:tier|plan|version|edition|trial|account|option|offering)s?\b")
_RANGE = re.compile(r"(\d+)\s*(?:to|–|-)\s*(\d+)\s+(day|week|month)s?")
# a move said to need no rewriting: "should port straight over without rewrites"
_NO_REWRITE = re.compile(r"\b(?:without\s+(?:any\s+)?(?:rewrit\w*|changes|edits)|no\s+(?:rewrit\w*|edits|changes)|"
                         r"drop-in|"
                         r"(?:port|move|lift)\w*\s+straight\s+(?:over|across)|as[- ]is|unchanged|zero\s+rewrit\w*)\b")
# a time said as what the move usually takes, not a deadline ("done by Q3", "in three months we must…")
_TYPICAL_TIME = re.compile(r"\b(?:take|takes|took|taking|last|lasts|typically|usually|normally|run|runs)\b")
# a price compared between tools: "MLflow ends up pricier than W&B for a 10-person team", "W&B is the cheapest
# of the three at enterprise scale"
_DEARER = re.compile(r"\b(?:pricier|more\s+expensive|costlier|costs?\s+more|dearer)\s+than\b")
_CHEAPER_THAN = re.compile(r"\b(?:cheaper|less\s+expensive|costs?\s+less)\s+than\b")
_CHEAPEST = re.compile(r"\b(?:the\s+)?(?:cheapest|least\s+expensive|lowest[- ]cost)\b")
_PRICIEST = re.compile(r"\b(?:the\s+)?(?:priciest|most\s+expensive|costliest|dearest)\b")
_SIZE_WORDS = {"small team": 10, "small teams": 10, "growth stage": 50, "enterprise scale": 200,
               "enterprise level": 200, "at scale": 200, "enterprise size": 200}


@dataclass
class CellClash:
    tool: str
    row: Row
    claimed: str  # the clause, as written
    why: str


_SENTENCES = re.compile(r"(?<=[?!.])\s+")
_THE_ARTICLE = re.compile(r"\b(?:the|your|this)\s+(?:article|source|comparison|guide|table|write-?up|piece)\b", re.I)
_NOT_ONLY = re.compile(r"\b(?:is\s+not|isn'?t|are\s+not|aren'?t|does\s+not|doesn'?t|not)\s+(?:only|just|exclusively|"
                       r"solely|limited\s+to)\b", re.I)


# a claim of each of the three tools: "All three have native dbt integrations", "each of them ships…"
_ALL = "*all three*"
_ALL_THREE = re.compile(r"^\W*(?:(?:and|but|so|since|as|because|given\s+(?:that\s+)?)\W+)?(?:all\s+(?:three|3|"
                        r"of\s+them)|each\s+of\s+(?:them|the\s+three)|every\s+one\s+of\s+them|the\s+three\s+"
                        r"(?:tools\s+)?all|they\s+all)\b", re.I)
# "W&B Reports export cleanly into MLflow": a thing of the first tool that goes into the second
_MOVES_INTO = re.compile(r"\s+(?:[\w'-]+\s+){0,3}?(?:export|exports|exported|port|ports|ported|move|moves|moved|"
                         r"transfer|transfers|migrate|migrates|carry|carries|come|comes|go|goes)\s+(?:(?:cleanly|"
                         r"straight|easily|over|across|right|directly|fine|neatly)\s+)*(?:to|into|onto|over\s+to|"
                         r"across\s+to)\s+", re.I)


def _asking_sentence(question: str) -> str | None:
    """The first sentence of `question` that asks ("?"), when the message holds more than that sentence."""
    asked = [p for p in _SENTENCES.split(question.strip()) if "?" in p]
    return asked[0] if asked and asked[0].strip() != question.strip() else None


_OUR_SIZE = re.compile(r"\b(?:at|for)\s+(?:our|my)\s+(?:head\s*count|size|team\s+size|scale)\b|"
                       r"\bfor\s+(?:a\s+team\s+(?:of\s+)?our\s+size|us|our\s+team)\b")


class CellPremises:
    """Claims a question takes for granted ("since W&B has native pipeline orchestration, …") that a table
    cell contradicts: a capability the cell denies, a need it contradicts, or "native" where the cell says
    "SDK integration" or "Partial". Plain claims against a qualified cell are let be: a false alarm on a
    true premise is worse than a missed correction."""

    def __init__(self, reader: TableReader, config: PremiseConfig):
        self.reader = reader
        self.c = config
        # (a thousands separator splits nothing: "$60,000 a year")
        self._split = re.compile(r"(?<=[.!?;])\s+|,(?!\d{3}\b)\s*|\s+so\s+|\s[-–—]\s|\s+and\s+(?=so\b)")
        self._opener = re.compile(r"^\W*(?:" + "|".join(map(re.escape, config.assert_openers)) + r")\b\s*", re.I)
        self._tag = re.compile(r"(?:" + "|".join(map(re.escape, config.tag_endings)) + r")\W*$", re.I)
        self._asks = re.compile(r"^\W*(?:" + "|".join(map(re.escape, config.asks)) + r")\b", re.I)
        self._neg = re.compile(_words(config.negations).pattern + r"(?![\w'])", re.I)  # "no", not "now"
        self._strong = _words(config.strong)
        self._rows = set(config.rows) | set(config.price_rows)
        self._paid = _words(config.paid_words) if config.paid_words else None
        self._free = _words(config.free_words) if config.free_words else None
        # a claim can only be checked against a row it names in words: an alias or a table word of a checked row
        words = [w for r in [*config.rows, *config.price_rows] for w in reader.config.rows.get(r, [])] + [
            w for ws in reader.config.tables.values() for w in ws]
        self._rows_word = _words(words)
        self._highest = _words(config.highest) if config.highest else _NEVER
        self._lowest = _words(config.lowest) if config.lowest else _NEVER
        self._lossless = _words(config.lossless) if config.lossless else _NEVER
        self._easy = _words(config.easy) if config.easy else _NEVER
        self._ordinal = {label: _words(words) for label, words in config.ordinal_rows.items()}
        self._size_words = _words(config.size_words) if config.size_words else _NEVER
        self._paths = [(r, path) for r in reader.table.rows
                       if r.table == MIGRATION_TABLE and (path := self._path(r.label)) is not None]

    def check(self, question: str) -> list[CellClash]:
        core_all = [t for t in self.reader.vocab.find_tools(question) if t in CORE_TOOLS]
        only = core_all[0] if len(set(core_all)) == 1 else None
        out: list[CellClash] = []
        claims: list[tuple[str, str, str]] = []  # (part, claim, tool)
        moved = ""  # the last part that named two tools
        for part in (p.strip() for p in self._split.split(question) if p and p.strip()):
            before = moved
            if len(self._ordered(part)) >= 2:
                moved = part
            opened = bool(self._opener.match(part))
            # ("MLflow isn't only available on Databricks" denies nothing of its Databricks cell)
            claim = _NOT_ONLY.sub(" ", self._opener.sub("", part))
            if not opened and self._asks.match(claim) and not self._tag.search(claim):
                continue  # a question, not a claim
            if claim.endswith("?") and not opened and not self._tag.search(claim):
                continue
            tools = [t for t in self.reader.vocab.find_tools(claim) if t in CORE_TOOLS]
            # ("when we leave W&B for MLflow, our Reports will come across intact": the move said in the part
            # before, the loss denied in this one)
            if before and not tools and self._lossless.search(claim) \
                    and (clash := self._move_clash(f"{before}, {claim}")) is not None:
                out.append(CellClash(tool=clash[0], row=clash[1], claimed=part, why=clash[2]))
                continue
            tool = tools[0] if tools else only  # the subject: "W&B integrates natively, just like MLflow"
            if not tools and _ALL_THREE.match(claim):
                claims.append((part, claim, _ALL))  # "All three have native dbt integrations": each one's cell
                continue
            if tool is None or (not tools and _WE_FIRST.match(claim)):
                continue  # ("kubeflow worth it for us? we just call the openai api" says what we do, not Kubeflow)
            # a move, a rank, a yearly figure or a team size the table's cells contradict, whatever words name the row
            clash = self._move_clash(claim) or self._ordinal_clash(claim, tool) \
                or self._figure_clash(claim, tool, question) \
                or self._licence_clash(claim, tool) or self._cost_order_clash(claim, tool) \
                or self._size_clash(claim, tool)
            if clash is not None:
                if not any(c.tool == clash[0] and c.row is clash[1] for c in out):
                    out.append(CellClash(tool=clash[0], row=clash[1], claimed=part, why=clash[2]))
            elif self._rows_word.search(claim):
                claims.append((part, claim, tool))
        if not claims:
            return out
        vectors = self.reader.embed([self.reader.strip(c) for _, c, _ in claims])  # one batch
        for (part, claim, tool), vector in zip(claims, vectors, strict=True):
            match = self.reader.match(claim, vector)
            if (match is None or match.row.label not in self._rows) and self._strong.search(claim):
                # ("a colleague told me MLflow can schedule our nightly retraining natively now": a claim its
                # other words drown, that names one checked row in the row's own words and says it strongly)
                named = {r.label: r for r in self.reader.table.rows if r.label in self.c.rows
                         and (rx := self.reader._rows.get(r.label)) is not None and rx.search(claim)}
                if len(named) == 1:
                    (row,) = named.values()
                    match = RowMatch(row=row, score=0.0, how=f"alias of {row.label!r}, said strongly")
            if match is None or match.row.label not in self._rows:
                continue
            if "alias" not in match.how:
                continue  # a claim is checked only against a row it names in the row's own words
            row = match.row
            # the row's words belong to the tool named last before them: "W&B for experiment viz and KServe
            # for serving" claims nothing of W&B's serving
            said = self.reader._rows.get(row.label)
            at = said.search(claim) if said is not None else None
            if at is not None and (re.match(r"(?:which|what)\b", at.group(), re.I)
                                   or re.search(r"\b(?:which|what)\s+(?:\w+\s+)?$", claim[:at.start()], re.I)):
                continue  # "mlflow + which orchestrator, who owns what?" asks for the row's thing, claims nothing
            before = [t for _, stop, t in self.reader.vocab.spans(claim) if at is not None and stop <= at.start()]
            if tool != _ALL and before and before[-1] != tool:
                if before[-1] not in CORE_TOOLS:
                    continue
                tool = before[-1]
            for each in (CORE_TOOLS if tool == _ALL else [tool]):  # "all three have…": each one's cell
                if each not in row.columns:
                    continue
                cell = row.cells[1 + row.columns.index(each)]
                why = self._price_clash(claim, cell) if row.label in self.c.price_rows else \
                    self._clash(claim, cell, self._scope(claim, row.label))
                if why and not any(c.tool == each and c.row is row for c in out):
                    out.append(CellClash(tool=each, row=row, claimed=part, why=why))
        return out

    def claim_of(self, part: str) -> str:
        """The claim a part of a question makes, without its opener ("since", "given that")."""
        return self._opener.sub("", part.strip())

    def _ordered(self, claim: str) -> list[str]:
        """The three tools in the order the claim names them, each once."""
        seen: list[str] = []
        for _, _, t in self.reader.vocab.spans(claim):
            if t not in seen:
                seen.append(t)
        return seen

    def _move_clash(self, claim: str) -> tuple[str, Row, str] | None:
        """"Moving from W&B to MLflow is a couple of days' work with no data loss" against the migration
        row from the first tool named to the second: a time far below its estimate, no loss where it says
        data loss, or easy where it says hard."""
        if self._neg.search(claim) and not self._lossless.search(claim) and not _NO_REWRITE.search(claim.lower()):
            return None
        moves = self.reader._tables.get(MIGRATION_TABLE)
        named = self._ordered(claim)
        if len(named) < 2 or moves is None or not (moves.search(claim) or self._a_to_b(claim)):
            return None  # ("MLflow and W&B set up in an hour" moves nothing; "W&B to MLflow is a clean export" does)
        row = next((r for r, (there, to) in self._paths if there == named[0] and named[1] in to), None)
        if row is None:
            return None
        effort, _, time_cell = (*row.cells, "", "", "")[1:4]
        low = claim.lower()
        if self._lossless.search(claim) and "loss" in row.row.lower():
            return named[0], row, f"claims nothing is lost; the table says {row.row!r}"
        # ("should port straight over without rewrites", "a drop-in change with no edits to the pipelines")
        if _NO_REWRITE.search(low) and re.search(r"\brewrite|\badaptation\b", row.row.lower()):
            return named[0], row, f"claims no rewrite; the table says {row.row!r}"
        days = self._days(low)
        span = _RANGE.search(time_cell.lower())
        if days is not None and span is not None:
            unit = {"day": 1, "week": 7, "month": 30}[span.group(3)]
            if days < int(span.group(1)) * unit / 2:
                return named[0], row, f"claims {days:g} days; the table says {time_cell!r}"
            if days > int(span.group(2)) * unit * 2 and _TYPICAL_TIME.search(low):
                # "MLflow to W&B migrations typically take about three months" (the table: 1 to 3 weeks)
                return named[0], row, f"claims {days:g} days; the table says {time_cell!r}"
        if self._easy.search(low) and any(effort.lower().startswith(w.lower()) for w in self.c.hard_cells):
            return named[0], row, f"claims it is easy; the table says {effort!r}"
        return None

    def _a_to_b(self, claim: str) -> bool:
        """"W&B to MLflow is …": two of the tools joined by "to" name a move."""
        gaps = self.reader.vocab.gaps(claim, lambda t: t in CORE_TOOLS)
        return any(re.fullmatch(r"\s+(?:to|->|→|=>)\s+", gap) or _MOVES_INTO.fullmatch(gap) for _, gap in gaps)

    def _path(self, label: str) -> tuple[str, list[str]] | None:
        """The tool a migration row leaves and the tools it may go to ("Kubeflow to Vertex AI or SageMaker
        Pipelines")."""
        there, sep, to = label.partition(" to ")
        if not sep:
            return None
        a, b = self.reader.vocab.find_tools(there), self.reader.vocab.find_tools(to)
        return (a[0], b) if a and b else None

    def _days(self, low: str) -> float | None:
        """The longest time the claim gives, in days ("a couple of days" -> 2, "a fortnight" -> 14)."""
        found = []
        for m in _DURATION.finditer(low):
            n = m.group(1)
            count = float(n) if n and n[0].isdigit() else _SMALL.get(" ".join(n.split()), 1) if n else 1
            found.append(count * self.c.durations.get(m.group(2), 0))
        return max(found) if found and max(found) > 0 else None

    def _licence_clash(self, claim: str, tool: str) -> tuple[str, Row, str] | None:
        """"wandb is free for a team our size anyway" against the licence row, whatever words name it. Only a
        plain "free" said of a paid tool: a free tier, a managed offering or a plan is another matter."""
        if self._free is None or self._paid is None or _FREE_TIER.search(claim.lower()):
            return None
        claim = _OTHER_APACHE.sub(" ", claim)  # "Apache Spark" is no licence
        if not self._free.search(claim) or self._paid.search(claim) or _NOT_THE_LICENCE.search(claim):
            return None  # (a paid claim is checked only against a row it names: "priced by compute" on Databricks)
        row = self.reader.table.row(self.c.price_rows[0] if self.c.price_rows else None)
        if row is None or tool not in row.columns:
            return None
        why = self._price_clash(claim, row.cells[1 + row.columns.index(tool)])
        return (tool, row, why) if why else None

    def _size_clash(self, claim: str, tool: str) -> tuple[str, Row, str] | None:
        """"MLflow only makes sense once you're 50+ people" against the row of the sizes each tool suits: a
        smallest size claimed above the largest the cell gives (MLflow: "1 to 10 people"), or a largest claimed
        below its smallest (Kubeflow: "20+"). A size said without a bound ("for our 12 people") claims nothing."""
        low = number_words().to_digits(claim.lower())
        if self._neg.search(claim) or not self._size_words.search(low):
            return None
        row = self.reader.table.row(self.c.size_row)
        if row is None or tool not in row.columns:
            return None
        cell = row.cells[1 + row.columns.index(tool)]
        bounds = [int(n) for n in re.findall(r"\d+", cell)]
        if not bounds:
            return None
        # ("20+ (with dedicated DevOps)": a "+" before any bracket leaves the range open above)
        lo, hi = bounds[0], float("inf") if "+" in cell.split("(")[0] else bounds[-1]
        # (the shared quantity reader says which sizes are bounds: "50+ people", "once you're 20", "teams of 30
        # or more", "under 5 people"; a bare number must stand alone, so "over 10 years" bounds no team)
        claimed = [(q.bound, q.value if q.bound == "at_least" or q.low is None else q.low)
                   for q in quantity_reader().read(low) if q.bound and (q.counts == "people" or (
                       q.counts == "other" and _BARE_END.match(low[q.end:])))]
        if _SOLO.search(low):
            claimed.append(("at_most", 1))
        for bound, said in claimed:
            if bound == "at_least" and said > hi * 1.5:
                return tool, row, f"claims {said}+ people; the table says {cell!r}"
            if bound == "at_most" and said * 2 < lo:
                return tool, row, f"claims at most {said} people; the table says {cell!r}"
        return None

    def _ordinal_clash(self, claim: str, tool: str) -> tuple[str, Row, str] | None:
        """"W&B has the lowest lock-in risk of the three" against a row of ordered cells where another tool
        ranks lower."""
        low = claim.lower()
        top = self._highest.search(low)
        bottom = self._lowest.search(low)
        if (top is None) == (bottom is None) or self._neg.search(claim):
            return None
        at = (top or bottom).start()
        for label, rx in self._ordinal.items():
            m = rx.search(low)
            if m is None or abs(m.start() - at) > 40:
                continue
            row = self.reader.table.row(label)
            if row is None or not row.by_tool:
                continue
            # said of a tool named just before it ("W&B has the lowest lock-in risk"), not of a worry ("lock-in
            # is our highest concern, so is MLflow best?")
            before = [(stop, t) for _, stop, t in self.reader.vocab.spans(claim) if stop <= at and t in row.columns]
            if not before or at - before[-1][0] > 30 or not _PREDICATES.match(claim[before[-1][0]:at].lower()):
                continue
            who = before[-1][1]
            ranks = {t: self._rank(row.cells[1 + row.columns.index(t)]) for t in row.columns}
            if ranks.get(who) is None or any(v is None for v in ranks.values()):
                continue
            if top is not None and max(ranks.values()) > ranks[who]:
                return who, row, f"claims the highest; the table says {row.row!r}"
            if bottom is not None and min(ranks.values()) < ranks[who]:
                return who, row, f"claims the lowest; the table says {row.row!r}"
        return None

    def _rank(self, cell: str) -> float | None:
        low = cell.lower()
        best = max((k for k in self.c.ordinal_scale if low.startswith(k)), key=len, default=None)
        return None if best is None else self.c.ordinal_scale[best]

    def _figure_clash(self, claim: str, tool: str, question: str = "") -> tuple[str, Row, str] | None:
        """"W&B for 200 people is around $40k a year" against the estimate row for that size: a figure far
        outside the row's range. A claim "at our headcount" takes the size the question says elsewhere ("We're a
        50-person ML org … W&B comes to roughly $60,000 a year at our headcount")."""
        digits = number_words().to_digits(claim.lower())  # "for ten users", "ten grand a year"
        size = _team_size(digits)
        if size is None and _OUR_SIZE.search(digits):
            size = _team_size(number_words().to_digits(question.lower()))
        amount = _AMOUNT.search(digits)
        if size is None or amount is None or not (amount.group(1) or amount.group(3)):
            return None
        label = self.c.estimate_rows.get(size)
        row = self.reader.table.row(label)
        if row is None or tool not in row.columns:
            return None
        cell = row.cells[1 + row.columns.index(tool)]
        span = self._money_range(cell)
        if span is None:
            return None
        scale = {"k": 1e3, "thousand": 1e3, "grand": 1e3, "m": 1e6, "million": 1e6}.get(
            (amount.group(3) or "").lower(), 1)
        said = float(amount.group(2).replace(",", "")) * scale
        lo, hi = span  # (an open-ended cell, "$120,000+/year", has no ceiling)
        if said < lo * 0.7 or said > hi * 1.3:
            return tool, row, f"claims ${said:,.0f} a year; the table says {cell!r}"
        return None

    def _cost_order_clash(self, claim: str, tool: str) -> tuple[str, Row, str] | None:
        """"MLflow ends up pricier than W&B for a 10-person team", "W&B is the cheapest of the three at enterprise
        scale" against the estimate row for that size: only where the cells' ranges do not overlap (a cell
        without a figure, "Scales with compute", decides nothing)."""
        low = number_words().to_digits(claim.lower())
        if self._neg.search(claim):
            return None
        size = _team_size(low)
        if size is None:
            size = next((n for w, n in _SIZE_WORDS.items() if w in low), None)
        row = self.reader.table.row(self.c.estimate_rows.get(size)) if size is not None else None
        if row is None:
            return None
        named = [t for t in self._ordered(claim) if t in row.columns]
        if not named:
            return None
        ranges = {t: self._money_range(row.cells[1 + row.columns.index(t)]) for t in row.columns}
        who = named[0]
        mine = ranges.get(who)
        if mine is None:
            return None
        others = [t for t in row.columns if t != who]
        if (m := _DEARER.search(low) or _CHEAPER_THAN.search(low)) is not None:
            than = [t for t in self._ordered(low[m.end():]) if t in row.columns and t != who][:1]
            theirs = ranges.get(than[0]) if than else None
            if theirs is None:
                return None
            dearer = m.re is _DEARER
            if (dearer and mine[1] < theirs[0]) or (not dearer and mine[0] > theirs[1]):
                return who, row, f"claims {'more' if dearer else 'less'} than {than[0]}; the table says {row.row!r}"
            return None
        if _CHEAPEST.search(low) and any(r is not None and r[1] < mine[0] for t in others if (r := ranges[t])):
            return who, row, f"claims the cheapest; the table says {row.row!r}"
        if _PRICIEST.search(low) and any(r is not None and r[0] > mine[1] for t in others if (r := ranges[t])):
            return who, row, f"claims the most expensive; the table says {row.row!r}"
        return None

    @staticmethod
    def _money_range(cell: str) -> tuple[float, float] | None:
        """The lowest and highest yearly figure a cell gives ("$60,000–$200,000+/year"; open-ended: no ceiling)."""
        figures = [float(x.replace(",", "")) for x in _CELL_MONEY.findall(cell)]
        if not figures:
            return None
        return min(figures), (float("inf") if "+" in cell else max(figures))

    def _scope(self, claim: str, label: str) -> str:
        """The part of the claim that speaks of the row: up to the end of the row's words, so a negation
        after them is about something else ("we can self-host it without paying a licence fee")."""
        rx = self.reader._rows.get(label)
        m = rx.search(claim) if rx is not None else None
        if m is None:
            return claim
        tail = re.match(r"[\w-]*(?:\s+(?!(?:without|but|and|not|no)\b)[\w-]+){0,3}", claim[m.end():])
        return claim[: m.end() + (tail.end() if tail else 0)]

    def _price_clash(self, claim: str, cell: str) -> str | None:
        """"MLflow is priced per seat" against "Free (open-source)", "W&B is open source" against "Proprietary
        SaaS"; a claim that says both, or denies, is let be."""
        if self._neg.search(claim) or self._paid is None or self._free is None:
            return None
        paid, free = bool(self._paid.search(claim)), bool(self._free.search(claim))
        low = cell.lower()
        cell_free = any(low.startswith(w.lower()) for w in self.c.free_cells)
        cell_paid = any(w.lower() in low for w in self.c.paid_cells)
        if paid and not free and cell_free and not cell_paid:
            return f"claims it is paid for; the table says {cell!r}"
        if free and not paid and cell_paid and not cell_free:
            return f"claims it is free; the table says {cell!r}"
        return None

    def _clash(self, claim: str, cell: str, scoped: str) -> str | None:
        said = "no" if self._neg.search(scoped) else "yes"  # a negation about the row, not after it
        claimed_units, cell_units = _units(claim), _units(cell)
        if said == "yes" and claimed_units and cell_units and not claimed_units & cell_units:
            return f"claims {'/'.join(sorted(claimed_units))}; the table says {cell!r}"  # "set up in a few hours"
        low = cell.lower()
        kind = ("no" if any(low.startswith(w.lower()) for w in self.c.negative_cells) else
                "yes" if any(low.startswith(w.lower()) for w in self.c.positive_cells) else "qualified")
        # "W&B's Teams plan lets you deploy on-premises" against "Enterprise tier only": another tier claimed
        only = re.search(r"\b(\w+)\s+(?:tier|plan)\s+only\b", low)
        tier = _TIER.search(claim.lower())
        if said == "yes" and only and tier and tier.group(1) != only.group(1) \
                and not re.search(rf"\b{re.escape(only.group(1))}\b", claim.lower()):  # "Enterprise, not Teams"
            return f"claims the {tier.group(1)} tier; the table says {cell!r}"
        # "Kubeflow's pipeline DSL is portable" against "Low (DSL not portable)": the cell denies the word
        denied = re.search(r"\bnot\s+([a-z]{4,})", low)
        if said == "yes" and denied and not self._neg.search(claim) and not _ACROSS_CLOUDS.search(claim) \
                and re.search(rf"\b{re.escape(denied.group(1)[:6])}", claim.lower()):
            return f"claims it is {denied.group(1)}; the table says {cell!r}"
        # "W&B keeps Reports and artifacts in open formats" against "Proprietary"
        if said == "yes" and low.startswith("proprietary") and re.search(
                r"\b(?:open|portable|standard|non-proprietary)\b", claim.lower()):
            return f"claims it is open; the table says {cell!r}"
        if said == "yes" and kind == "no":
            return f"claims it does; the table says {cell!r}"
        if said == "no" and kind == "yes":
            return f"claims it does not; the table says {cell!r}"
        if said == "yes" and kind == "qualified" and self._strong.search(claim):
            return f"claims it natively or fully; the table says {cell!r}"
        return None


TableReaderConfig.model_rebuild()
