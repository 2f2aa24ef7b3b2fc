"""Every odd behaviour of the loopback stand-in, on every route, through the studio's engine.

Each case asserts the learner-facing sentence, how many requests the server saw, whether the request was
billed and what was charged against the budget, and that nothing raised. The routes are the real SDK's
(Azure classic, Azure v1, OpenAI); the engine is :func:`genlab.studio.run` with a per-visit limiter and a
scratch folder, as for a visitor without a profile.
"""

import json
import time
from pathlib import Path

import pytest

from devtools.fake_openai import AZURE_KEY, OPENAI_KEY, FakeOpenAI
from genlab.backends.control import CallControl
from genlab.backends.remote import AzureBackend, OpenAIBackend, RemoteBackend
from genlab.backends.types import ImageRequest
from genlab.studio import MemoryLimiter, Run, ScratchKeeper, run
from tests.support.odd_server_cases import CASES, DEADLINE_S, FORBIDDEN, QUOTA, ROUTES, SERVICE, Case


def backend(fake: FakeOpenAI, route: str, url: str | None = None) -> RemoteBackend:
    base = url or fake.url
    if route == "openai":
        return OpenAIBackend(OPENAI_KEY, "gpt-image-1.5", base_url=f"{base}/v1", timeout_s=DEADLINE_S)
    return AzureBackend(base, "img15", api_key=AZURE_KEY, route=route.removeprefix("azure-"), timeout_s=DEADLINE_S)


def click(fake: FakeOpenAI, route: str, prompt: str, tmp_path: Path, partial_images: int = 0,
          url: str | None = None, limiter: MemoryLimiter | None = None) -> tuple[Run, MemoryLimiter]:
    limiter = limiter or MemoryLimiter(rate_limit_per_minute=100, daily_budget_usd=5.0)
    previews: list[int] = []
    request = ImageRequest(f"a red fox {prompt}", size="1024x1024", quality="low", partial_images=partial_images)
    result = run(backend(fake, route, url), request, "generate", gallery=ScratchKeeper(tmp_path),
                 limits=limiter, on_partial=lambda i, _d: previews.append(i),
                 control=CallControl(deadline_s=DEADLINE_S))
    return result, limiter


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("case", CASES, ids=[c.trigger.removeprefix("trigger:") for c in CASES])
def test_odd_answer(fake_openai: FakeOpenAI, route: str, case: Case, tmp_path: Path) -> None:
    started = time.monotonic()
    result, limiter = click(fake_openai, route, case.trigger, tmp_path, case.partial_images)
    took = time.monotonic() - started
    assert result.error is not None and not result.ok and result.paths == []
    assert (result.error.kind, result.error.message) == (case.kind, case.sentence.format(s=SERVICE[route]))
    assert len(fake_openai.requests) == case.requests
    assert result.billed == case.billed
    assert (result.charged_usd > 0) == case.charged and (limiter.spent_today() > 0) == case.charged
    assert result.error.retry_after_s == case.retry_after_s
    assert took < DEADLINE_S + 2, "the answer comes within the deadline plus 2 s"
    if case.partial_images:
        assert len(result.partial_paths) == 2 and all(Path(p).exists() for p in result.partial_paths)
    if case.kind not in ("deadline", "rate_limit", "server"):
        assert result.error.raw is not None, "the raw answer is one click away"
    assert AZURE_KEY not in json.dumps(result.error.raw, default=str)


@pytest.mark.parametrize("route", ROUTES)
def test_quota_is_billing_not_speed_and_is_not_retried(fake_openai: FakeOpenAI, route: str, tmp_path: Path) -> None:
    result, limiter = click(fake_openai, route, "trigger:quota", tmp_path)
    assert result.error is not None and result.error.kind == "quota"
    assert result.error.message == QUOTA["openai" if route == "openai" else "azure"]
    assert len(fake_openai.requests) == 1 and result.billed == "no" and limiter.spent_today() == 0


@pytest.mark.parametrize("route", ROUTES)
def test_403_is_permission_not_key_and_names_the_right_service(fake_openai: FakeOpenAI, route: str,
                                                                tmp_path: Path) -> None:
    result, _ = click(fake_openai, route, "trigger:403", tmp_path)
    assert result.error is not None and (result.error.kind, result.error.status) == ("forbidden", 403)
    assert result.error.message == FORBIDDEN["openai" if route == "openai" else "azure"]
    assert len(fake_openai.requests) == 1


@pytest.mark.parametrize("route", ROUTES)
def test_control_characters_in_service_text_are_neutralised(fake_openai: FakeOpenAI, route: str,
                                                            tmp_path: Path) -> None:
    result, _ = click(fake_openai, route, "trigger:control_chars", tmp_path)
    assert result.error is not None and result.error.kind == "bad_request"
    message = result.error.message
    assert "\u202e" not in message and "\u0007" not in message and "\u200b" not in message
    assert "[U+202E]evil[U+202C]" in message and "[U+0007][U+200B]" in message
    assert message.startswith(f"{SERVICE[route]} refused the request (400): Invalid prompt [U+202E]")


@pytest.mark.parametrize("route", ROUTES)
def test_a_short_retry_after_is_waited_once_and_then_succeeds(fake_openai: FakeOpenAI, route: str,
                                                              tmp_path: Path) -> None:
    result, limiter = click(fake_openai, route, "trigger:429once", tmp_path)
    assert result.ok and len(fake_openai.requests) == 2 and result.requests == 2
    assert result.billed == "yes" and result.charged_usd > 0
    assert limiter.spent_today() == pytest.approx(result.charged_usd)


@pytest.mark.parametrize("route", ROUTES)
def test_connection_refused_is_tried_twice_and_not_billed(fake_openai: FakeOpenAI, route: str, tmp_path: Path) -> None:
    result, limiter = click(fake_openai, route, "", tmp_path, url=fake_openai.refused_url)
    assert result.error is not None and result.error.kind == "connection" and result.requests == 2
    assert result.billed == "no" and limiter.spent_today() == 0 and fake_openai.requests == []


@pytest.mark.parametrize("route", ROUTES)
def test_a_good_answer_is_charged_what_usage_says(fake_openai: FakeOpenAI, route: str, tmp_path: Path) -> None:
    result, limiter = click(fake_openai, route, "", tmp_path, partial_images=1)
    assert result.ok and result.billed == "yes" and len(result.paths) == 1
    assert result.cost_label is not None and "output tokens" in result.cost_label
    assert result.charged_usd > 0 and limiter.spent_today() == pytest.approx(result.charged_usd)
    assert result.partial_paths == []  # previews are not kept once the finished image came


def test_cancel_stops_waiting_at_once(fake_openai: FakeOpenAI, tmp_path: Path) -> None:
    control = CallControl(deadline_s=30)
    ticks: list[float] = []

    def tick(elapsed: float) -> None:
        ticks.append(elapsed)
        if elapsed > 0.5:
            control.cancel()

    started = time.monotonic()
    result = run(backend(fake_openai, "azure-classic"), ImageRequest("trigger:silent"), "generate",
                 gallery=ScratchKeeper(tmp_path), limits=MemoryLimiter(10, 5.0), control=control, on_tick=tick)
    assert time.monotonic() - started < 2
    assert result.error is not None and result.error.kind == "cancelled" and result.billed == "maybe"
    assert result.error.message.startswith("You stopped waiting after 0.")
    assert "The request had already reached the service, so it may still make the image and bill it." in \
        result.error.message


def test_an_interrupted_page_cancels_the_call_and_keeps_the_run(fake_openai: FakeOpenAI, tmp_path: Path) -> None:
    """A Cancel click reruns the page, which raises inside the wait; the engine cancels and hands the run on."""
    kept: list[Run] = []

    class Rerun(Exception):
        pass

    def tick(elapsed: float) -> None:
        if elapsed > 0.3:
            raise Rerun

    control = CallControl(deadline_s=30)
    with pytest.raises(Rerun):
        run(backend(fake_openai, "openai"), ImageRequest("trigger:silent"), "generate",
            gallery=ScratchKeeper(tmp_path), limits=MemoryLimiter(10, 5.0), control=control, on_tick=tick,
            on_interrupt=kept.append)
    assert control.cancelled.is_set()
    assert kept and kept[0].error is not None and kept[0].error.kind == "cancelled"
