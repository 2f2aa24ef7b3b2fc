"""Every odd behaviour of the loopback stand-in, on every route, through the studio's engine.

Each case asserts the learner-facing sentence, how many requests the server saw, whether the request was
billed and what was charged against the budget, and that nothing raised. The routes are the real SDK's
(Azure classic, Azure v1, OpenAI); the engine is :func:`genlab.studio.run` with a per-visit limiter and a
scratch folder, as for a visitor without a profile.
"""

import json
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from genlab.backends.control import CallControl
from genlab.backends.remote import AzureBackend, OpenAIBackend, RemoteBackend
from genlab.backends.types import ImageRequest
from genlab.studio import MemoryLimiter, Run, ScratchKeeper, run
from tests.fake_openai import AZURE_KEY, OPENAI_KEY, FakeOpenAI

ROUTES = ("azure-classic", "azure-v1", "openai")
SERVICE = {"azure-classic": "Azure OpenAI", "azure-v1": "Azure OpenAI", "openai": "OpenAI"}
DEADLINE_S = 1.5
MAYBE = "It may have been billed: the request was sent, and no usage came back to say."
BILLED = "The service reported usage, so it was billed."
STREAM_KEPT = " The 2 rough previews that arrived are shown, labelled as partial."


def backend(fake: FakeOpenAI, route: str, url: str | None = None) -> RemoteBackend:
    base = url or fake.url
    if route == "openai":
        return OpenAIBackend(OPENAI_KEY, "gpt-image-1.5", base_url=f"{base}/v1", timeout_s=DEADLINE_S)
    return AzureBackend(base, "img15", api_key=AZURE_KEY, route=route.removeprefix("azure-"), timeout_s=DEADLINE_S)


@dataclass(frozen=True)
class Case:
    """One odd behaviour: the sentence (``{s}`` is the service), the kind, requests seen, billing."""

    trigger: str
    kind: str
    sentence: str
    requests: int = 1
    billed: str = "maybe"
    partial_images: int = 0
    charged: bool = False
    retry_after_s: float | None = None


def _deadline(how: str, kept: str = "") -> str:
    return (f"{{s}} {how} after 1.5 seconds, the time allowed for one click, so the app stopped waiting. It may "
            f"still make the image and bill it.{kept} High-quality images can take minutes: choose a lower "
            "quality, or ask whoever runs the app to allow longer (GENLAB_REQUEST_TIMEOUT_S).")


CASES = [
    Case("trigger:silent", "deadline", _deadline("did not answer")),
    Case("trigger:trickle", "deadline", _deadline("started answering but had not finished")),
    Case("trigger:html200", "html_answer", "{s} answered with a web page (HTML) instead of images. A proxy, a "
         "Wi-Fi sign-in page or a wrong endpoint answered in its place: open a web page to check the network, "
         f"then check the endpoint setting and try again. {MAYBE}"),
    Case("trigger:wrong_type", "wrong_content_type", "{s} answered with 'application/octet-stream' content "
         "instead of JSON, so it could not be read as images. Something between this app and the service may be "
         f"rewriting answers; try again, and check the endpoint setting. {MAYBE}"),
    Case("trigger:not_json", "unreadable_answer", "{s} answered with text that is not valid JSON (it may have "
         f"been cut short), so no image could be read. Try again. {MAYBE}"),
    Case("trigger:bad_base64", "bad_image", "{s} answered, but its image was not valid base64, so nothing can "
         f"be shown. Try again. {MAYBE}"),
    Case("trigger:truncated_png", "bad_image", "{s} answered, but its image was not a complete image (its bytes "
         f"do not decode), so nothing can be shown. Try again. {BILLED}", billed="yes", charged=True),
    Case("trigger:not_image", "bad_image", "{s} answered, but its image was not a complete image (its bytes do "
         f"not decode), so nothing can be shown. Try again. {MAYBE}"),
    Case("trigger:empty_data", "no_images", "{s} answered 'OK' with an empty list of images. Nothing was made; "
         f"try again, perhaps with a different prompt. {MAYBE}"),
    Case("trigger:null_data", "no_images", "{s} answered 'OK' but its answer had no images in it (no 'data'). "
         f"Nothing was made; try again. {MAYBE}"),
    Case("trigger:missing_data", "no_images", "{s} answered 'OK' but its answer had no images in it (no "
         f"'data'). Nothing was made; try again. {MAYBE}"),
    Case("trigger:null_entries", "bad_image", "{s} answered, but its image was empty (null), so nothing can be "
         f"shown. Try again. {MAYBE}"),
    Case("trigger:huge", "too_big", "{s} sent more than 25 MB, far more than 1 image can take, so the app "
         "stopped reading. Something between this app and the service may be misbehaving; try again later. "
         f"{MAYBE}"),
    Case("trigger:stream_cut", "stream_cut", "The stream from {s} stopped in the middle of a message after 2 "
         f"previews, so the finished image never arrived.{STREAM_KEPT} Try again, or turn off partial previews. "
         f"{MAYBE}", partial_images=2),
    Case("trigger:stream_incomplete", "stream_incomplete", f"{{s}}'s stream ended without the finished image."
         f"{STREAM_KEPT} Try again, or turn off partial previews. {MAYBE}", partial_images=2),
    Case("trigger:stream_reset", "stream_dropped", "The connection to {s} dropped while the image was being "
         f"streamed after 2 previews, before the finished image arrived.{STREAM_KEPT} Try again; this was not a "
         f"wrong endpoint, since the service had started answering. {MAYBE}", partial_images=2),
    Case("trigger:stream_error", "stream", "{s} stopped the image stream with an error: The server had an error "
         "while processing your request. The finished image did not arrive; it may have been billed, because the "
         f"request reached the service.{STREAM_KEPT} Try again, or turn off partial previews.", partial_images=2),
    Case("trigger:429long", "rate_limit", "{s} is limiting how fast this key can make images (429). Wait 90 "
         "seconds and try again.", billed="no", retry_after_s=90.0),
    Case("trigger:502empty", "server", "A gateway in front of {s} failed (502) without saying why, so the request "
         "did not reach the service and was not billed. Try again in a moment.", requests=2, billed="no"),
]
QUOTA = {
    "azure": "Azure OpenAI says this resource's quota is used up (429): this is about the subscription's quota or "
             "billing, not speed, so waiting a minute will not help. Nothing was billed for this request. Whoever "
             "owns the resource can check its quota in the Azure AI Foundry portal.",
    "openai": "OpenAI says this account has no credit left or has reached its spending limit (429, "
              "insufficient_quota): this is billing, not speed, so waiting will not help. Nothing was billed for "
              "this request. Whoever owns the account can add credit or raise the limit on platform.openai.com, "
              "Settings, Billing.",
}
FORBIDDEN = {
    "azure": "Azure OpenAI refused the request (403): this key is not allowed to use deployment 'img15' (a "
             "permission problem, not a wrong key). It said: Principal does not have access to API/Operation. Ask "
             "the owner of the resource for the 'Cognitive Services OpenAI User' role (Azure portal, the resource, "
             "Access control (IAM)).",
    "openai": "OpenAI refused the request (403): this key's organization or project is not allowed to use "
              "'gpt-image-1.5' (a permission problem, not a wrong key). It said: Your organization must be "
              "verified to use the model `gpt-image-1.5`. Please go to: "
              "https://platform.openai.com/settings/organization/general and click on Verify Organization. Check "
              "the organization's verification and the project's model access on platform.openai.com.",
}


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
    assert result.billed == "yes" and result.charged_usd > 0 and limiter.spent_today() == pytest.approx(result.charged_usd)


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
