"""Ingestion: noise removal, headings, tables, FAQ, ids, extra documents."""

from __future__ import annotations

from advisor.chunks import load_corpus, split_row

DOC = "mlflow-kubeflow-wandb-comparison.txt"

# Exactly what ingestion may drop from the article: promotional lines and FAQ sales sentences.
EXPECTED_DROPS = [
    (9, "Accelerate Your Data Management with Scalable DataOps Tools!"),
    (10, "Partner with Kanerika Today!"),
    (77, "Partner with Kanerika to Modernize Your Enterprise Operations with High-Impact Data & AI Solutions"),
    (92, "Partner with Kanerika to Modernize Your Enterprise Operations with High-Impact Data & AI Solutions"),
    (120, "Partner with Kanerika to Modernize Your Enterprise Operations with High-Impact Data & AI Solutions"),
    (135, "Data Automation: A Complete Guide to Streamlining Your Businesses"),
    (136, "Accelerate business performance by systematically transforming manual data processes into "
          "intelligent, efficient, and scalable automated workflows."),
    (191, "Speed Up Your Data Management with Powerful DataOps Tools!"),
    (192, "Partner with Kanerika Today!"),
]
PROMO_MARKERS = ["Partner with Kanerika", "DataOps Tools!", "schedule a consultation", "reach out for",
                 "connect with our team", "let us assess", "talk to us", "request a personalized",
                 "contact us to discuss", "schedule a technical discovery", "explore how we", "let us build",
                 "request a platform evaluation", "book a comparison workshop", "Data Automation: A Complete Guide"]


def test_drops_exactly_the_promotional_lines_and_sales_sentences(parsed):
    lines = [(d.line, d.text) for d in parsed.dropped if d.source == DOC]
    whole_lines = [x for x in lines if not x[1].startswith("Kanerika")]
    assert whole_lines == EXPECTED_DROPS
    sales = [x for x in lines if x[1].startswith("Kanerika")]
    assert len(sales) == 12  # the closing pitch of each of the 12 FAQ answers
    assert all(line >= 194 for line, _ in sales)
    assert all("—" in text for _, text in sales)


def test_no_promotional_text_in_any_chunk(parsed):
    for chunk in parsed.chunks:
        for marker in PROMO_MARKERS:
            assert marker not in chunk.text, (chunk.id, marker)


def test_nothing_else_is_lost(parsed, corpus_dir):
    """Every non-empty source line is either in a chunk or listed as dropped."""
    text = (corpus_dir / DOC).read_text(encoding="utf-8")
    blob = "\n".join(c.text for c in parsed.chunks) + "\n" + "\n".join(c.section_path for c in parsed.chunks)
    dropped = {d.text for d in parsed.dropped}
    for line in text.splitlines():
        line = line.strip()
        if not line or line in dropped:
            continue
        remainder = line
        for d in dropped:
            remainder = remainder.replace(d, "").strip()
        assert remainder in blob, line[:80]


def test_heading_hierarchy(parsed):
    sections = {tuple(c.section) for c in parsed.chunks}
    built_for, head_to_head = "What Each MLOps Tool Is Actually Built For", (
        "Head-to-Head MLOps Tool Comparison: The Dimensions That Actually Matter")
    assert (built_for, "Kubeflow: Production ML Pipeline Orchestration at Scale") in sections
    assert (head_to_head, "Vendor Lock-in Risk") in sections
    assert ("Total Cost of Ownership: What MLOps Tooling Actually Costs",) in sections
    assert ("FAQs",) in sections
    assert all(len(s) <= 2 for s in sections)


def test_tables_whole_and_rows_carry_their_header(parsed):
    tables = [c for c in parsed.chunks if c.kind == "table"]
    assert {split_row(t.text.splitlines()[0])[0] for t in tables} == {
        "LLM and GenAI Capability", "Lock-in Dimension", "Cost Component", "Team Archetype", "Stack Pattern",
        "Integration Target", "Migration Path", "Alternative Tool", "Comparison Dimension"}
    for table in tables:
        rows = table.text.splitlines()
        row_chunks = [c for c in parsed.chunks if c.kind == "table-row" and c.id.startswith(table.id + "/")]
        assert len(row_chunks) == len(rows) - 1
        for rc in row_chunks:
            header, row = rc.text.splitlines()
            assert header == rows[0] and row in rows[1:]
            assert rc.section == table.section
            assert "Table:" in rc.context
    cost = next(c for c in parsed.chunks if "Small team estimate (10 people)" in c.text and c.kind == "table-row")
    assert cost.text.startswith("| Cost Component | MLflow | Kubeflow | W&B |")


def test_faq_keeps_question_with_answer(parsed):
    faqs = [c for c in parsed.chunks if c.kind == "faq"]
    assert len(faqs) == 12
    for f in faqs:
        question, answer = f.text.split("\n")
        assert question.endswith("?") and len(answer) > 200
        assert "Kanerika" not in answer


def test_chunks_know_tools_and_ids_are_stable(parsed, corpus_dir):
    again = load_corpus(corpus_dir)
    assert [c.id for c in again.chunks] == [c.id for c in parsed.chunks]
    assert len({c.id for c in parsed.chunks}) == len(parsed.chunks)
    pricing = next(c for c in parsed.chunks if c.text.startswith("Honest limitations: Per-seat pricing"))
    assert pricing.tools == ["wandb"]
    assert all(c.source == DOC for c in parsed.chunks)


def test_extra_markdown_and_text_documents_are_ingested(tmp_path, corpus_dir):
    for name in ("tools.yaml", "noise.yaml", DOC):
        (tmp_path / name).write_text((corpus_dir / name).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "notes.md").write_text(
        "# Internal notes\n\n## Tracking\n\nWe tried MLflow last year\nand kept it.\n\n"
        "| Tool | Verdict |\n|---|---|\n| MLflow | keep |\n| W&B | trial |\n\n"
        "Partner with Kanerika Today!\n", encoding="utf-8")
    (tmp_path / "faq.txt").write_text("Extra\nDoes ZenML need Kubernetes?\nNo, it wraps several backends.\n",
                                      encoding="utf-8")
    (tmp_path / "ignored.pdf").write_bytes(b"%PDF")
    parsed = load_corpus(tmp_path)
    md = [c for c in parsed.chunks if c.source == "notes.md"]
    assert [c.kind for c in md] == ["prose", "table", "table-row", "table-row"]
    assert md[0].section == ["Internal notes", "Tracking"]
    assert md[0].text == "We tried MLflow last year\nand kept it."
    assert md[3].text == "| Tool | Verdict |\n| W&B | trial |" and md[3].tools == ["wandb"]
    assert any(d.source == "notes.md" for d in parsed.dropped)
    faq = [c for c in parsed.chunks if c.source == "faq.txt"]
    assert faq[0].kind == "faq" and faq[0].tools == ["zenml", "kubernetes"]
