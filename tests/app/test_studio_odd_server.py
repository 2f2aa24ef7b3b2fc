"""The studio page against every odd behaviour of the loopback stand-in (each on one route, the routes in
turn): the sentence on the page, the requests the server saw, what was charged to the visit's budget, the
partial images kept and labelled, and never an exception. A silent server answers within deadline + 2 s.
"""

import re
import time
from collections.abc import Iterator

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from devtools.fake_openai import API_VERSION, AZURE_KEY, OPENAI_KEY, FakeOpenAI
from genlab.settings import get_settings
from tests.support.apptest import APP
from tests.support.odd_server_cases import CASES, DEADLINE_S, FORBIDDEN, ROUTES, SERVICE, Case

PAGE = "app_pages/studio.py"


def unescape(text: str) -> str:
    """The characters a learner reads: backslash escapes resolved, inline code spans unwrapped."""
    parts = re.split(r"(`+ .*? `+)", text)
    return "".join(m.group(2) if (m := re.fullmatch(r"(`+) (.*) \1", part)) else re.sub(r"\\(.)", r"\1", part)
                   for part in parts)


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as server:
        yield server


def studio(monkeypatch: pytest.MonkeyPatch, fake: FakeOpenAI, route: str) -> AppTest:
    """The studio with ``route`` configured (and chosen), a short deadline, one retry allowed."""
    env = {"GENLAB_REQUEST_TIMEOUT_S": str(DEADLINE_S), "GENLAB_REQUEST_MAX_RETRIES": "1"}
    if route == "openai":
        env |= {"OPENAI_API_KEY": OPENAI_KEY, "OPENAI_BASE_URL": f"{fake.url}/v1"}
    else:
        env |= {"AZURE_OPENAI_ENDPOINT": fake.url, "AZURE_OPENAI_API_KEY": AZURE_KEY,
                "AZURE_OPENAI_DEPLOYMENT": "img15", "AZURE_OPENAI_API_VERSION": API_VERSION,
                "AZURE_OPENAI_ROUTE": route.removeprefix("azure-")}
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    get_settings.cache_clear()
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page(PAGE).run()
    at.radio(key="studio_backend").set_value("openai" if route == "openai" else "azure").run()
    assert not at.exception
    return at


def generate(at: AppTest, prompt: str, partial_images: int = 0) -> float:
    name = "openai" if at.radio(key="studio_backend").value == "openai" else "azure"
    at.selectbox(key=f"studio_{name}_partial").set_value(partial_images).run()
    at.text_area(key="studio_prompt").set_value(prompt)
    started = time.monotonic()
    next(b for b in at.button if b.label == "Generate").click().run()
    return time.monotonic() - started


def alts(at: AppTest) -> list[str]:
    """The alt text of every image on the page."""
    def walk(node) -> Iterator:
        if getattr(node, "type", None) == "image":
            yield from (img.alt for img in node.proto.imgs)
        for key in sorted(getattr(node, "children", {}) or {}):
            yield from walk(node.children[key])
    return list(walk(at._tree))


def spent(at: AppTest) -> float:
    return at.session_state["studio_limiter"].spent_today()


ROTATED = [(case, ROUTES[i % len(ROUTES)]) for i, case in enumerate(CASES)]


@pytest.mark.parametrize(("case", "route"), ROTATED, ids=[f"{c.trigger.removeprefix('trigger:')}-{r}"
                                                          for c, r in ROTATED])
def test_the_page_says_what_happened(monkeypatch: pytest.MonkeyPatch, fake: FakeOpenAI, case: Case,
                                     route: str) -> None:
    at = studio(monkeypatch, fake, route)
    took = generate(at, f"a red fox {case.trigger}", case.partial_images)
    assert not at.exception
    assert [unescape(e.value) for e in at.error] == [case.sentence.format(s=SERVICE[route])]
    assert len(fake.requests) == case.requests
    assert (spent(at) > 0) == case.charged
    run = at.session_state["studio_runs"]["create"]
    assert run.billed == case.billed and not run.paths
    captions = " ".join(c.value for c in at.caption)
    billed = {"yes": "Billed: yes.", "maybe": "Billed: maybe", "no": "Billed: no."}[case.billed]
    assert billed in unescape(captions)
    assert [s.value for s in at.success if not s.value.startswith("**Active backend")] == []
    shown = alts(at)
    assert not [a for a in shown if a.startswith("AI-generated image")], "nothing is shown as a success"
    if case.partial_images:
        assert [a for a in shown if a.startswith("Partial image")] == [
            f"Partial image {i} of 2, a rough preview that never became the finished picture, for the prompt: "
            f"a red fox {case.trigger}" for i in (1, 2)]
    if case.trigger == "trigger:silent":
        assert took < DEADLINE_S + 2, f"the page answered after {took:.1f} s"
    if case.retry_after_s:
        assert "studio_wait_until" in at.session_state  # the countdown to the next request


@pytest.mark.parametrize("route", ROUTES)
def test_quota_and_permission_sentences_per_route(monkeypatch: pytest.MonkeyPatch, fake: FakeOpenAI,
                                                  route: str) -> None:
    at = studio(monkeypatch, fake, route)
    generate(at, "a red fox trigger:quota")
    generate(at, "a red fox trigger:403")
    assert not at.exception
    flavour = "openai" if route == "openai" else "azure"
    assert [unescape(e.value) for e in at.error] == [FORBIDDEN[flavour]]
    assert len(fake.requests) == 2 and spent(at) == 0


def test_control_characters_reach_the_page_neutralised(monkeypatch: pytest.MonkeyPatch, fake: FakeOpenAI) -> None:
    at = studio(monkeypatch, fake, "azure-v1")
    generate(at, "a red fox trigger:control_chars")
    shown = at.error[0].value
    assert "\u202e" not in shown and "\u200b" not in shown and "\u0007" not in shown
    assert "\\[click" in shown and "` here](http://evil.example) `" in shown  # a link shown as code, never followed
    assert "\\*\\*now\\*\\*" in shown  # Markdown shown, not obeyed


def test_the_sidebar_and_the_studio_name_the_same_backend(monkeypatch: pytest.MonkeyPatch, fake: FakeOpenAI) -> None:
    at = studio(monkeypatch, fake, "azure-classic")
    sidebar = " ".join(m.value for m in at.sidebar.markdown)
    assert "**Azure OpenAI**" in sidebar and "Active because it is chosen in the studio" in sidebar
    at.radio(key="studio_backend").set_value("local").run()
    sidebar = " ".join(m.value for m in at.sidebar.markdown)
    assert "**Local model (free, offline)**" in sidebar
    assert "Active backend: the local model" in " ".join(i.value for i in at.info)


def test_view_code_shows_the_v1_route_first_when_it_is_the_one_used(monkeypatch: pytest.MonkeyPatch,
                                                                   fake: FakeOpenAI) -> None:
    at = studio(monkeypatch, fake, "azure-v1")
    labels = [t.label for t in at.tabs]
    assert "Python: OpenAI client on the Azure v1 endpoint (the route this app uses)" in labels
    generate(at, "a red fox")
    assert fake.requests[-1].path == "/openai/v1/images/generations"


def test_a_short_wait_asked_for_by_the_service_is_shown_then_the_image_comes(monkeypatch: pytest.MonkeyPatch,
                                                                              fake: FakeOpenAI) -> None:
    at = studio(monkeypatch, fake, "openai")
    generate(at, "a red fox trigger:429once")
    assert not at.exception and len(fake.requests) == 2
    captions = [unescape(c.value) for c in at.caption]
    assert (":material/hourglass_top: OpenAI asked to wait 0.1 seconds (429): waiting 0.1 s, then asking once "
            "more.") in captions
    assert [a for a in alts(at) if a.startswith("AI-generated image")] == [
        "AI-generated image for the prompt: a red fox trigger:429once"]
    assert spent(at) > 0
