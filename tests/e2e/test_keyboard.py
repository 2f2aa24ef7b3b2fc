"""Keyboard only, in a real browser: a full flashcard review and a knowledge check.

After one click on the h1 (to give the page focus, as a learner's first click would), every step is
a key press: Tab and Shift+Tab to move, typing, Space and Enter to act, and the buttons' shortcuts
(Space to show a card's answer, 1-4 to rate, Enter for the main quiz buttons). Streamlit's shortcuts do
not fire while a text field has focus, so the tests Tab to a button first there; on a focused radio
button or checkbox in a question, Enter checks the answer (the app's own key handler). Each state is screenshotted and
checked with axe, in light and dark.
"""

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.support.browser import app_violations, axe_violations, wait_for_app

FOCUSED_JS = """() => {
    const el = document.activeElement;
    if (!el) return {};
    return {tag: el.tagName, type: el.type || '', role: el.getAttribute('role') || '',
            label: (el.getAttribute('aria-label') || el.innerText || '').trim().slice(0, 80),
            main: !!el.closest('[data-testid="stMain"]')};
}"""


def focused(page: Page) -> dict:
    return page.evaluate(FOCUSED_JS)


def tab_to(page: Page, matches, key: str = "Tab", limit: int = 80) -> dict:
    """Press Tab (or Shift+Tab) until the focused element satisfies ``matches``."""
    for _ in range(limit):
        page.keyboard.press(key)
        now = focused(page)
        if matches(now):
            return now
    raise AssertionError(f"{key} never reached the element; last focus: {focused(page)}")


def settle(page: Page) -> None:
    """Wait for the rerun a key press started to finish."""
    page.wait_for_timeout(150)
    wait_for_app(page)


def check_axe(page: Page, screenshots: Path, name: str) -> None:
    page.screenshot(path=str(screenshots / f"{name}.png"), full_page=True)
    problems = app_violations(axe_violations(page))
    assert not problems, f"{name}:\n" + "\n".join(problems)


def sign_in(page: Page, name: str) -> None:
    """Type a profile name in the sidebar and press Start learning, by keyboard."""
    page.locator('[data-testid="stMain"] h1').click()
    tab_to(page, lambda f: f["tag"] == "INPUT" and f["label"] == "Profile name", key="Shift+Tab")
    page.keyboard.type(name)
    tab_to(page, lambda f: f["tag"] == "INPUT" and f["label"] == "PIN or passphrase")
    page.keyboard.type("2468")
    tab_to(page, lambda f: f["tag"] == "BUTTON" and "Start learning" in f["label"])
    page.keyboard.press("Enter")
    expect(page.get_by_text(f"Learning as {name}")).to_be_visible(timeout=20_000)
    settle(page)


def metric(page: Page, label: str) -> str:
    box = page.locator('[data-testid="stMetric"]').filter(has_text=label)
    return box.first.locator('[data-testid="stMetricValue"]').inner_text().strip()


@pytest.fixture(params=["light", "dark"])
def scheme(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def tab(browser: Browser, scheme: str) -> Iterator[Page]:
    """A browser tab in the colour scheme under test."""
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1366, "height": 900})
    yield context.new_page()
    context.close()


def test_full_flashcard_review_by_keyboard(tab: Page, scheme: str, app_url: str, screenshots: Path) -> None:
    page = tab
    page.goto(f"{app_url}/flashcards")
    wait_for_app(page)
    sign_in(page, f"Keys {scheme}")
    expect(page.get_by_role("button", name=re.compile("Show answer"))).to_be_visible()
    # Into the page: Tab to the button. Its Space press is the button's own; later cards use the
    # shortcut, with focus left on the page once the pressed button is gone.
    tab_to(page, lambda f: f["tag"] == "BUTTON" and "Show answer" in f["label"])
    ratings = iter(["1", "2", "3"])  # the first cards get Again, Hard, Good; the rest Easy
    reviewed = 0
    finished = page.get_by_text("All done for today").or_(page.get_by_text("No card is due right now"))
    for _ in range(40):
        if finished.count():
            break
        page.keyboard.press("Space")
        good = page.get_by_role("button", name=re.compile(r"^Good · \d"))
        expect(good).to_be_visible(timeout=20_000)
        if reviewed == 0:
            check_axe(page, screenshots, f"keyboard-flashcard-answer-{scheme}")
        labels = page.locator('[data-testid="stMain"] button').all_inner_texts()
        assert any(re.search(r"Again · \d+ (min|h|d)", label) for label in labels), labels
        page.keyboard.press(next(ratings, "4"))
        expect(page.get_by_text(re.compile(r"^Saved \w+: you will see"))).to_be_visible(timeout=20_000)
        # The next card's button (or the end) must be drawn before its shortcut can be pressed.
        upcoming = page.get_by_role("button", name=re.compile("Show answer")).or_(finished)
        expect(upcoming).to_be_visible(timeout=20_000)
        settle(page)
        reviewed += 1
    # 20 new cards; the three sent back to learning wait for their due time, and the page says when.
    expect(page.get_by_text("No card is due right now")).to_be_visible()
    assert metric(page, "Reviewed today") == str(reviewed) == "20"
    page.get_by_role("tab", name="Statistics and settings").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Due forecast as text")).to_be_visible()
    check_axe(page, screenshots, f"keyboard-flashcard-stats-{scheme}")


def answer_by_keyboard(page: Page) -> None:
    """Tab to the first control of the question and answer it; then Enter checks it: at once on a choice,
    after a Tab to Check answer from a select box."""
    control = tab_to(page, lambda f: f["main"] and f["tag"] == "INPUT")
    if control["type"] in ("radio", "checkbox"):
        page.keyboard.press("Space")
        page.keyboard.press("Enter")  # with the choice still focused, as the button's Enter key cap says
        return
    else:  # a select box (match) or the multiselect (order): open the list and take an option
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")
    tab_to(page, lambda f: f["tag"] == "BUTTON" and "Check answer" in f["label"])
    page.keyboard.press("Enter")


def test_knowledge_check_by_keyboard(tab: Page, scheme: str, app_url: str, screenshots: Path) -> None:
    page = tab
    page.goto(f"{app_url}/quiz")
    wait_for_app(page)
    sign_in(page, f"Quiz keys {scheme}")
    expect(page.get_by_role("heading", name="Start a quiz")).to_be_visible()
    check_axe(page, screenshots, f"keyboard-quiz-menu-{scheme}")
    tab_to(page, lambda f: f["tag"] == "BUTTON" and f["label"].split()[1:2] == ["Start"])  # after its icon
    page.keyboard.press("Enter")  # Start: the default is the first lesson's knowledge check
    expect(page.get_by_text(re.compile(r"Question 1 of \d"))).to_be_visible(timeout=20_000)
    settle(page)
    total = int(re.search(r"Question 1 of (\d)", page.locator('[data-testid="stMain"]').inner_text()).group(1))
    for n in range(1, total + 1):
        answer_by_keyboard(page)
        verdict = page.get_by_text(re.compile(r"^(Correct|Partly right|Not quite):"))
        expect(verdict.first).to_be_visible(timeout=20_000)
        settle(page)
        if n == 1:
            check_axe(page, screenshots, f"keyboard-quiz-feedback-{scheme}")
        expect(page.get_by_role("button", name=re.compile("Next question|See results"))).to_be_visible()
        page.keyboard.press("Enter")  # Next question, or See results after the last
        if n < total:
            expect(page.get_by_text(f"Question {n + 1} of {total}")).to_be_visible(timeout=20_000)
            settle(page)
    expect(page.get_by_role("heading", name="Your results")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Back to the quiz menu"))).to_be_visible()
    settle(page)
    check_axe(page, screenshots, f"keyboard-quiz-results-{scheme}")
    page.keyboard.press("Enter")  # Back to the quiz menu
    expect(page.get_by_text(re.compile(r"Estimate from this module only: \d+ / 1000"))).to_be_visible(timeout=20_000)


def test_exam_length_time_and_sections_in_the_browser(tab: Page, scheme: str, app_url: str,
                                                       screenshots: Path) -> None:
    """The exam's own controls: the length and time inputs (the time follows the length), the defaults'
    source, the section heading with its progress bar; each screen passes axe."""
    page = tab
    page.goto(f"{app_url}/quiz")
    wait_for_app(page)
    sign_in(page, f"Exam setup {scheme}")
    page.get_by_test_id("stRadioGroup").get_by_text("Exam simulation", exact=True).click()
    settle(page)
    questions = page.get_by_role("spinbutton", name="Number of questions")
    expect(questions).to_have_value("20")
    expect(page.get_by_role("spinbutton", name="Time in minutes")).to_have_value("30")
    expect(page.get_by_text(re.compile(r"^Default: 20 questions in 30 minutes"))).to_be_visible()
    check_axe(page, screenshots, f"exam-setup-{scheme}")
    questions.fill("12")
    questions.press("Enter")
    settle(page)
    expect(page.get_by_role("spinbutton", name="Time in minutes")).to_have_value("18")  # 12 x 90 s
    page.get_by_role("button", name=re.compile("Start")).click()
    expect(page.get_by_text("Question 1 of 12")).to_be_visible(timeout=20_000)
    expect(page.get_by_role("heading", name=re.compile(r"^Section 1 of 2: Questions"))).to_be_visible()
    expect(page.get_by_text(re.compile(r"^0 of \d+ answered in this section"))).to_be_visible()
    settle(page)
    check_axe(page, screenshots, f"exam-question-{scheme}")
