"""End to end in headless Chromium: ask, read a cited passage, edit the profile, give feedback, download the
decision record, and try to inject markup; every request the page makes must stay on this machine.

Needs Debian's /usr/bin/chromium (.ci/run installs it). Without it the test is skipped, unless
ADVISOR_REQUIRE_BROWSER=1, when it fails.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import CORPUS, ROOT, _free_port

from advisor.chat import Conversation
from advisor.service import Advisor
from advisor.settings import Settings

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "tests" / "artifacts"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
WAIT_MS = 180_000  # a ceiling for slow machines, not a performance assertion
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
SMALL_TEAM = "We are 6 people and nobody has run Kubernetes in production. Which tool should we use?"
XSS = '<script>window.__xss=1</script> <img src=x onerror="window.__xss=2">'
CORPUS_TEXT = " ".join((CORPUS / "mlflow-kubeflow-wandb-comparison.txt").read_text(encoding="utf-8").split())


def _browser_or_skip():
    why = None
    if not CHROMIUM.exists():
        why = f"{CHROMIUM} is missing: apt-get install -y chromium chromium-driver (.ci/run does)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            why = "playwright is missing: pip install -e '.[dev]'"
    if why:
        if os.environ.get("ADVISOR_REQUIRE_BROWSER") == "1":
            pytest.fail(why)
        pytest.skip(why)


@pytest.fixture(scope="module")
def advisor(index, settings) -> Advisor:
    return Advisor(Settings(paths=settings.paths.model_dump(), llm={"mode": "none"}))


@pytest.fixture(scope="module")
def app(advisor):
    _browser_or_skip()
    from advisor.ui.web import serve

    port = _free_port()
    demo = serve(advisor, "127.0.0.1", port, block=False)
    yield f"http://127.0.0.1:{port}/"
    demo.close()


@pytest.fixture(scope="module")
def browser(app):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


def _words(text: str) -> str:
    return " ".join(text.split())


def _score(page, tool: str) -> str:
    return page.locator(f'#decision [data-tool="{tool}"]').get_attribute("data-score")


def _ask(page, question: str, answers_before: int) -> None:
    from playwright.sync_api import expect

    page.locator("#message textarea").fill(question)
    page.locator("#ask").click()
    expect(page.locator("#status")).to_contain_text("Answered", timeout=WAIT_MS)
    expect(page.locator('#chat [data-testid="bot"]')).to_have_count(answers_before + 1, timeout=WAIT_MS)


def test_a_conversation_in_the_browser(app, browser, advisor):
    from playwright.sync_api import expect

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 1000})
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    page.on("websocket", lambda ws: requests.append(ws.url))
    page.goto(app)
    expect(page.locator("#message textarea")).to_be_visible(timeout=WAIT_MS)
    page.screenshot(path=ARTIFACTS / "01-start.png", full_page=True)

    # Bad input: one line in the status, nothing in the conversation.
    page.locator("#ask").click()
    expect(page.locator("#status")).to_contain_text("the question is empty", timeout=WAIT_MS)
    expect(page.locator('#chat [data-testid="user"]')).to_have_count(0)

    # A question, streamed into the chat.
    _ask(page, SMALL_TEAM, 0)
    expect(page.locator("#chat")).to_contain_text("Recommendation:")
    trace_prefix = re.search(r"trace ([0-9a-f]{8})", page.locator("#status").inner_text())[1]
    expected = Conversation(advisor).ask(SMALL_TEAM)  # what the session's conversation computed
    page.screenshot(path=ARTIFACTS / "02-answer.png", full_page=True)

    # [1] in the answer opens passage 1 in the sources panel: its section and verbatim quote.
    first = next(c for c in expected.citations if c.n == 1)
    page.locator('#chat a[href="#source-1"]').first.click()
    passage = page.locator("#source-1")
    expect(passage).to_have_attribute("open", "")
    quote = passage.locator(".adv-quote")
    expect(quote).to_be_visible()
    assert _words(quote.inner_text()) == _words(first.quote) and _words(first.quote) in CORPUS_TEXT
    expect(passage.locator("summary")).to_contain_text(first.section)
    # Any passage opens from the panel itself too.
    last = expected.citations[-1]
    page.locator(f"#source-{last.n} summary").click()
    expect(page.locator(f"#source-{last.n} .adv-quote")).to_be_visible()
    page.screenshot(path=ARTIFACTS / "03-source.png", full_page=True)

    # The chart shows every rule's contribution; editing the profile re-scores at once.
    expect(page.locator('#decision [data-tool="kubeflow"] .adv-seg').first).to_be_attached()
    before = _score(page, "kubeflow")
    k8s = page.locator("#profile-k8s_engineers input[type=number]")
    expect(k8s).to_have_value("0")
    k8s.fill("3")
    k8s.press("Enter")
    expect(page.locator('#decision [data-tool="kubeflow"]')).not_to_have_attribute("data-score", before,
                                                                                   timeout=WAIT_MS)
    assert float(_score(page, "kubeflow")) > float(before)
    page.locator("#profile-needs_dashboards").get_by_label("yes").check()
    expect(page.locator("#status")).to_contain_text("Re-scored", timeout=WAIT_MS)
    page.screenshot(path=ARTIFACTS / "04-profile-edited.png", full_page=True)

    # Feedback on the last answer lands in SQLite with its trace.
    page.locator("#comment textarea").fill("Good sources.")
    page.locator("#feedback-up").click()
    expect(page.locator("#status")).to_contain_text("feedback stored", timeout=WAIT_MS)
    trace = next(t for t in advisor.traces.last(100) if t.id.startswith(trace_prefix))
    assert trace.question == SMALL_TEAM
    stored = advisor.traces.feedback(trace.id)
    assert [(f.rating, f.comment, f.source) for f in stored] == [("up", "Good sources.", "web")] and stored[0].user

    # The decision record reflects the edited profile.
    with page.expect_download(timeout=WAIT_MS) as download:
        page.locator("#download").click()
    record = Path(download.value.path()).read_text(encoding="utf-8")
    assert record.startswith("# ADR: ") and "## Alternatives considered" in record and "## Citations" in record
    assert "Engineers with production Kubernetes experience: 3" in record
    assert "Stakeholder dashboards and collaborative reporting are a requirement: yes" in record
    (ARTIFACTS / "decision-record.md").write_text(record, encoding="utf-8")

    # The edited profile carries into the next question of this session.
    _ask(page, "What would it cost us?", 1)
    expect(k8s).to_have_value("3")

    # Markup in a question shows as text and never runs.
    _ask(page, f"Which tool for 5 people? {XSS}", 2)
    user_bubbles = page.locator('#chat [data-testid="user"]')
    expect(user_bubbles.last).to_contain_text("<script>window.__xss=1</script>")
    expect(user_bubbles.last).to_contain_text('<img src=x onerror="window.__xss=2">')
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.locator("#chat img[src='x'], #chat script").count() == 0
    page.screenshot(path=ARTIFACTS / "05-escaped.png", full_page=True)

    # A second browser session sees only its own conversation.
    other = browser.new_context()
    other.on("request", lambda r: requests.append(r.url))
    page2 = other.new_page()
    page2.goto(app)
    expect(page2.locator("#message textarea")).to_be_visible(timeout=WAIT_MS)
    expect(page2.locator('#chat [data-testid="user"]')).to_have_count(0)
    _ask(page2, "We're a team of 8 building LLM chatbots. Which tool fits us?", 0)
    expect(page2.locator('#chat [data-testid="user"]')).to_have_count(1)
    expect(page.locator('#chat [data-testid="user"]')).to_have_count(3)
    assert "LLM chatbots" not in page.locator("#chat").inner_text()
    page2.screenshot(path=ARTIFACTS / "06-second-session.png", full_page=True)
    other.close()

    # Clearing the chat starts the session afresh: no decision, no profile.
    page.locator('#chat button[aria-label="Clear"]').click()
    expect(page.locator('#chat [data-testid="user"]')).to_have_count(0)
    expect(page.locator("#decision .adv-empty")).to_be_visible(timeout=WAIT_MS)
    expect(k8s).to_have_value("-1")
    context.close()

    # Nothing left this machine.
    assert requests
    outside = [u for u in requests if urlsplit(u).scheme not in ("data", "blob")
               and urlsplit(u).hostname not in LOOPBACK]
    assert not outside, outside
