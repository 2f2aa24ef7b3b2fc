"""A live quiz across two replicas behind nginx, on PostgreSQL: the host on one, the learners on the other.

Browsers are pinned to a replica with nginx's affinity cookie (``genlab_replica``): the test finds
a cookie value that nginx routes to each replica (the ``X-Genlab-Upstream`` response header says
which), so the host's session really lives in replica 1 and every learner's in replica 2, and all
they share is the database.
"""

import re
import secrets
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import func, select

from deploy.replicas import Cluster, find_nginx, start_cluster
from genlab import classroom
from genlab.classroom.tables import Answer
from genlab.store import Store
from tests.support.browser import app_violations, axe_violations, free_port, wait_for_app
from tests.support.databases import fresh_schema, schema_url

PASSCODE = "replica-test-passcode"
QUESTION_IDS = "diff-01"  # single choice; D is correct


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory, postgres_available: str | None) -> Iterator[tuple[Cluster, str]]:
    reasons = []
    if find_nginx() is None:
        reasons.append("nginx is not installed (apt-get install -y nginx; .ci/run installs it)")
    if postgres_available:
        reasons.append(postgres_available)
    if reasons:
        pytest.skip("; ".join(reasons))
    with fresh_schema() as schema:
        url = schema_url(schema)
        running = start_cluster(url, tmp_path_factory.mktemp("shared-data"), cloud_keys=False, replicas=2,
                                port=free_port(), replica_ports=[free_port(), free_port()],
                                run_dir=tmp_path_factory.mktemp("run"), env={"GENLAB_INSTRUCTOR_PASSCODE": PASSCODE})
        try:
            yield running, url
        finally:
            running.stop()


def affinity_cookie(cluster: Cluster, replica_url: str) -> str:
    """A genlab_replica cookie value that nginx routes to ``replica_url``."""
    want = replica_url.removeprefix("http://")
    for _ in range(200):
        value = secrets.token_hex(16)
        request = urllib.request.Request(f"{cluster.url}/_stcore/health", headers={"Cookie": f"genlab_replica={value}"})
        with urllib.request.urlopen(request, timeout=5) as response:
            if response.headers["X-Genlab-Upstream"] == want:
                return value
    raise AssertionError(f"no cookie value routed to {replica_url}")


def pinned(browser: Browser, cluster: Cluster, replica: int, **options) -> BrowserContext:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, **options)
    context.add_cookies([{"name": "genlab_replica", "value": affinity_cookie(cluster, cluster.replica_urls[replica]),
                          "url": cluster.url}])
    return context


def sign_in(page: Page, url: str) -> None:
    page.goto(f"{url}/classroom-host")
    wait_for_app(page)
    page.get_by_label("Instructor passcode").fill(PASSCODE)
    page.get_by_role("button", name="Sign in to host").click()
    expect(page.get_by_text("Hand-picked question ids")).to_be_visible(timeout=20_000)


def test_live_quiz_across_two_replicas(browser: Browser, cluster: tuple[Cluster, str], screenshots: Path) -> None:
    running, db_url = cluster
    host = pinned(browser, running, 0).new_page()
    sign_in(host, running.url)
    host.get_by_text("Hand-picked question ids").click()
    ids = host.get_by_role("textbox", name="Question ids, in order")
    ids.fill(QUESTION_IDS)
    ids.press("Enter")
    host.get_by_role("button", name="Create room").click()
    host.wait_for_url(re.compile(r"room=[A-Z0-9]{6}"), timeout=20_000)
    code = re.search(r"room=([A-Z0-9]{6})", host.url).group(1)
    expect(host.get_by_role("img", name=f"QR code that opens the join page for room {code}")).to_be_visible()

    learners = {name: pinned(browser, running, 1).new_page() for name in ("Ada", "Bob", "Cy")}
    for page in learners.values():  # the three tabs load side by side
        page.goto(f"{running.url}/classroom?room={code}", wait_until="commit")
    for name, page in learners.items():
        wait_for_app(page)
        page.get_by_role("textbox", name="Nickname").fill(name)
        page.get_by_role("button", name="Join", exact=True).click()
    for name, page in learners.items():
        expect(page.get_by_text(f"You're in, {name}!")).to_be_visible(timeout=20_000)
    expect(host.get_by_text("3 joined")).to_be_visible(timeout=10_000)
    host.get_by_role("button", name="Start the quiz").click()

    for page in learners.values():
        expect(page.get_by_role("button", name=re.compile(r"^D · "))).to_be_visible(timeout=15_000)
    learners["Ada"].get_by_role("button", name=re.compile(r"^D · ")).dblclick()  # a double tap counts once
    learners["Bob"].get_by_role("button", name=re.compile(r"^D · ")).click()
    learners["Cy"].get_by_role("button", name=re.compile(r"^A · ")).click()
    for page in learners.values():
        expect(page.get_by_text(re.compile(r"Answer [A-D] received"))).to_be_visible(timeout=15_000)
    expect(host.get_by_text("3 of 3")).to_be_visible(timeout=10_000)
    expect(host.get_by_text("Everyone has answered.")).to_be_visible()
    host.get_by_role("button", name="Reveal answer").click()

    expect(learners["Ada"].get_by_text(re.compile(r"^Correct: \+\d"))).to_be_visible(timeout=15_000)
    expect(learners["Bob"].get_by_text(re.compile(r"^Correct: \+\d"))).to_be_visible(timeout=15_000)
    expect(learners["Cy"].get_by_text("Not quite: you picked A.")).to_be_visible(timeout=15_000)
    expect(host.get_by_text("Leaderboard")).to_be_visible(timeout=10_000)
    learners["Cy"].screenshot(path=str(screenshots / "classroom-replicas-learner-reveal.png"))
    host.screenshot(path=str(screenshots / "classroom-replicas-host-reveal.png"))
    for who, page in (("host", host), ("learner", learners["Cy"])):
        problems = app_violations(axe_violations(page))
        assert not problems, f"{who} reveal view:\n" + "\n".join(problems)

    # The database agrees: one answer each, and the host's table is its leaderboard.
    store = Store.open(db_url)
    try:
        with store.session() as s:
            assert s.scalar(select(func.count()).select_from(Answer)) == 3
            board = classroom.leaderboard(s, code)
    finally:
        store.engine.dispose()
    assert [x.nickname for x in board][2] == "Cy" and board[2].score == 0
    assert {x.nickname for x in board[:2]} == {"Ada", "Bob"} and all(x.score >= 500 for x in board[:2])
    rows = host.get_by_test_id("stTable").locator("tbody tr")
    expect(rows).to_have_count(3)
    for i, standing in enumerate(board):
        expect(rows.nth(i)).to_contain_text(standing.nickname)
        expect(rows.nth(i)).to_contain_text(str(standing.score))

    host.get_by_role("button", name="Show the podium").click()
    expect(host.get_by_text("Final leaderboard")).to_be_visible(timeout=10_000)
    expect(learners[board[0].nickname].get_by_text("You finished in place 1")).to_be_visible(timeout=15_000)
    for page in (host, *learners.values()):
        page.context.close()  # close the websockets, so the replicas stop promptly


def test_presenter_mode_hides_the_sidebar(browser: Browser, cluster: tuple[Cluster, str], screenshots: Path) -> None:
    running, _ = cluster
    page = pinned(browser, running, 0).new_page()
    page.goto(f"{running.url}/classroom")
    wait_for_app(page)
    if page.get_by_role("switch", name="Presenter mode").count() == 0:
        page.context.close()
        pytest.skip("app.py does not call ui.presenter.presenter_toggle() yet, so there is no presenter mode")
    sign_in(page, running.url)
    page.get_by_test_id("stSidebar").get_by_text("Presenter mode").click()
    expect(page.get_by_role("button", name="Exit presenter mode")).to_be_visible(timeout=10_000)
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()
    assert "present=1" in page.url
    page.screenshot(path=str(screenshots / "classroom-host-presenter.png"))
    page.get_by_role("button", name="Exit presenter mode").click()
    expect(page.get_by_test_id("stSidebar")).to_be_visible(timeout=10_000)
    page.goto(f"{running.url}/classroom?present=1")  # a bookmarked presenter link
    wait_for_app(page)
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()
    page.context.close()
