"""The studio's engine without a page: validation and limits before any call, the per-visit limiter's
rules (the same sentences as the store's), the active backend, the checks on answers, and the offline path."""

import base64
import io
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image

from devtools.fake_openai import FakeOpenAI
from genlab.backends.delivery import Reader, StreamCut, image_problem, plain, sse_events
from genlab.backends.errors import Scrubber
from genlab.backends.types import Availability, CostEstimate, ImageRequest, ImageResult
from genlab.studio import MemoryLimiter, ScratchKeeper, active_backend, run

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
CENT = CostEstimate(usd=0.01, basis="estimate", label="About $0.01")


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 0, 0)).save(out, "PNG")
    return out.getvalue()


# --- one limiter ---------------------------------------------------------------------------------------------


def test_the_visit_limiter_applies_the_rate_limit_to_paid_requests_with_the_store_sentence() -> None:
    limiter = MemoryLimiter(rate_limit_per_minute=2, daily_budget_usd=1.0)
    for seconds in range(5):  # local drawings are free: not limited, not counted
        assert limiter.check("local", CENT, NOW + timedelta(seconds=seconds)) is None
        limiter.count(ImageResult(backend="local", model="m"), NOW + timedelta(seconds=seconds))
    assert limiter.check("openai", CENT, NOW + timedelta(seconds=5)) is None
    for seconds in (0, 10):
        limiter.count(ImageResult(backend="openai", model="m"), NOW + timedelta(seconds=seconds))
    error = limiter.check("openai", CENT, NOW + timedelta(seconds=20))
    assert error is not None and error.kind == "learner_rate_limit" and error.retry_after_s == 40
    assert error.message == ("You have made 2 paid image requests in the last minute, which is the limit for "
                             "each learner; wait 40 seconds and try again, or use the free local model, which "
                             "has no such limit.")
    assert limiter.check("local", CENT, NOW + timedelta(seconds=20)) is None
    assert limiter.check("openai", CENT, NOW + timedelta(seconds=61)) is None


class SlowLocal:
    """A stand-in for the local model that draws until told to finish (its CPU time, in a test)."""

    name, model = "local", "toy-model"

    def __init__(self) -> None:
        self.started, self.finish, self.calls = threading.Event(), threading.Event(), 0

    def generate(self, request: ImageRequest, on_partial=None, control=None) -> ImageResult:
        self.calls += 1
        self.started.set()
        self.finish.wait(10)
        return ImageResult(backend="local", model=self.model, images=[png()],
                           cost=CostEstimate(0.0, "free", "Free, on your CPU."))

    edit = generate


def test_the_local_model_draws_one_request_at_a_time_per_learner(tmp_path: Path) -> None:
    backend, keeper, limits = SlowLocal(), ScratchKeeper(tmp_path), MemoryLimiter(1, 1.0)
    first: dict = {}
    worker = threading.Thread(target=lambda: first.update(run=run(
        backend, ImageRequest("a red circle"), "generate", gallery=keeper, limits=limits, owner="learner:1")))
    worker.start()
    assert backend.started.wait(5)
    second = run(backend, ImageRequest("a red circle"), "generate", gallery=keeper, limits=limits, owner="learner:1")
    assert second.error is not None and second.error.kind == "local_busy" and second.requests == 0
    assert second.error.message.startswith("The local model is still drawing your previous image")
    assert backend.calls == 1  # nothing was started for the second click
    backend.finish.set()
    other = run(backend, ImageRequest("a red circle"), "generate", gallery=keeper, limits=limits, owner="learner:2")
    assert other.ok  # another learner is not held up
    worker.join(5)
    assert first["run"].ok
    again = run(backend, ImageRequest("a red circle"), "generate", gallery=keeper, limits=limits, owner="learner:1")
    assert again.ok and backend.calls == 3  # free again once the drawing ended, whatever the rate limit says


def test_a_cancelled_local_drawing_keeps_its_claim_until_it_really_ends(tmp_path: Path) -> None:
    from genlab.backends.control import CallControl
    from genlab.studio import gate

    backend, keeper = SlowLocal(), ScratchKeeper(tmp_path)
    control = CallControl(deadline_s=30)
    control.cancel()  # the learner pressed Cancel: the page stops waiting at once
    stopped = run(backend, ImageRequest("a red circle"), "generate", gallery=keeper, limits=MemoryLimiter(5, 1.0),
                  control=control, owner="visit:abc")
    assert stopped.error is not None and stopped.error.kind == "cancelled"
    assert gate.drawing("visit:abc")  # the CPU is still drawing it
    backend.finish.set()
    for _ in range(50):
        if not gate.drawing("visit:abc"):
            break
        time.sleep(0.1)
    assert not gate.drawing("visit:abc")


def test_the_visit_limiter_counts_only_what_was_charged() -> None:
    limiter = MemoryLimiter(rate_limit_per_minute=100, daily_budget_usd=0.045)
    limiter.count(ImageResult(backend="azure", model="m", cost=None, billed="maybe"), NOW)  # nothing charged
    limiter.count(ImageResult(backend="azure", model="m", cost=CostEstimate(0.04, "actual", "x")), NOW)
    assert limiter.spent_today(NOW) == pytest.approx(0.04)
    error = limiter.check("azure", CENT, NOW)
    assert error is not None and error.kind == "budget" and error.message.startswith(
        "This request would cost about $0.0100, and you have already spent $0.0400 of today's $0.0450 budget")
    assert limiter.check("local", CENT, NOW) is None  # the budget is for paid images only
    assert limiter.spent_today(NOW + timedelta(days=1)) == 0


def test_nothing_is_sent_when_validation_or_the_limits_refuse(fake_openai: FakeOpenAI, tmp_path: Path) -> None:
    from genlab.backends.remote import AzureBackend

    backend = AzureBackend(fake_openai.url, "img15", api_key="azure-test-key-0123456789abcdef")
    keeper = ScratchKeeper(tmp_path)
    refused = run(backend, ImageRequest("", output_format="webp"), "generate", gallery=keeper,
                  limits=MemoryLimiter(10, 5.0))
    assert refused.error is not None and refused.error.kind == "validation" and refused.requests == 0
    broke = run(backend, ImageRequest("a fox"), "generate", gallery=keeper, limits=MemoryLimiter(10, 0.0))
    assert broke.error is not None and broke.error.kind == "budget"
    assert fake_openai.requests == []


# --- which backend is active --------------------------------------------------------------------------------


AVAILABLE = {"local": Availability(True, "The local model runs here."),
             "azure": Availability(True, "Azure OpenAI deployment 'img15' is configured."),
             "openai": Availability(False, "OpenAI is not configured.")}


def test_one_answer_to_which_backend_is_active() -> None:
    assert active_backend(AVAILABLE, None).name == "local"  # free by default, even with Azure configured
    chosen = active_backend(AVAILABLE, "azure")
    assert chosen.name == "azure" and chosen.label == "Azure OpenAI"
    assert chosen.reason.startswith("Azure OpenAI deployment 'img15' is configured. Active because it is chosen")
    assert active_backend(AVAILABLE, "openai").name == "local"  # not usable here: the default again
    no_local = {**AVAILABLE, "local": Availability(False, "not installed")}
    assert active_backend(no_local, None).name == "azure"


# --- answers checked before they are believed ----------------------------------------------------------------


def reader() -> Reader:
    return Reader("Azure OpenAI", Scrubber(["secret-key-123456"]))


def test_an_image_is_made_only_when_its_bytes_decode() -> None:
    good = png()
    assert image_problem(good) is None
    assert image_problem(good[: len(good) // 2]) is not None
    assert image_problem(b"GIF89a not really") is not None
    assert reader().image(base64.b64encode(good).decode()) == (good, None)
    assert reader().image("@@@")[1] == "was not valid base64"
    assert reader().image(None)[1] == "had no image data"


def test_a_partly_good_answer_keeps_the_good_images_and_says_so() -> None:
    result = ImageResult(backend="azure", model="img15")
    good = base64.b64encode(png()).decode()
    reader().parsed({"data": [{"b64_json": good}, None, {"b64_json": "!!"}]}, result)
    assert result.error is None and len(result.images) == 1
    assert result.notes == ["2 of the 3 images Azure OpenAI sent could not be used (was empty (null); was not "
                            "valid base64); only the 1 that decode are shown."]


def test_a_format_other_than_the_one_asked_for_is_kept_and_noted() -> None:
    result = ImageResult(backend="azure", model="img15")
    Reader("Azure OpenAI", Scrubber(), output_format="jpeg").parsed(
        {"data": [{"b64_json": base64.b64encode(png()).decode()}]}, result)
    assert result.ok and result.mime == "image/png"
    assert result.notes == ["You asked for JPEG but Azure OpenAI sent PNG; the file is kept as PNG."]


def test_the_raw_answer_is_scrubbed_and_shortened() -> None:
    result = ImageResult(backend="azure", model="img15")
    reader().json_body(b"<html>secret-key-123456 " + b"x" * 50_000 + b"</html>", "text/html", result)
    assert result.error is not None and result.error.kind == "html_answer"
    assert "secret-key-123456" not in result.error.raw and "[redacted]" in result.error.raw
    assert len(result.error.raw) < 4_100 and result.error.raw.endswith("bytes in all)")


def test_service_text_is_neutralised_not_hidden() -> None:
    assert plain("a\u202eb\u200bc\u0007 d\n\ne") == "a[U+202E]b[U+200B]c[U+0007] d e"
    assert plain("x" * 500).endswith("…") and len(plain("x" * 500)) == 300


def test_server_sent_events_are_whole_or_a_cut() -> None:
    events = list(sse_events([b"event: a\ndata: {\"x\"", b": 1}\n\n", b": comment\n\ndata: [1]\r\n\r\n"]))
    assert events == [("a", '{"x": 1}'), (None, "[1]")]
    with pytest.raises(StreamCut):
        list(sse_events([b"event: a\ndata: {\"x\": 1}\n\nevent: b\ndata: {\"half"]))
    assert list(sse_events([b"data: {\"last\": true}"])) == [(None, '{"last": true}')]


# --- the offline path ---------------------------------------------------------------------------------------


def test_the_local_path_imports_neither_the_openai_nor_the_azure_sdk(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from genlab.backends import available_backends, get_backend\n"
        "from genlab.backends.code import code_samples\n"
        "from genlab.backends.types import ImageRequest\n"
        "from genlab.settings import Settings\n"
        "from genlab.studio import MemoryLimiter, ScratchKeeper, active_backend, run\n"
        f"settings = Settings(data_dir=Path({str(tmp_path)!r}))\n"
        "active = active_backend(available_backends(settings), None)\n"
        "backend = get_backend(active.name, settings)\n"
        "code_samples(ImageRequest('a red circle'), settings, 'local')\n"
        f"out = run(backend, ImageRequest('a red circle', seed=1, steps=2), 'generate', "
        f"gallery=ScratchKeeper(Path({str(tmp_path)!r})), limits=MemoryLimiter(5, 1.0))\n"
        "assert out.error is None or out.error.kind == 'unavailable', out.error\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('openai', 'azure', 'httpx2'))\n"
        "print(active.name, loaded)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "local []"


def test_with_a_profile_failures_are_history_rows_and_only_reported_usage_is_charged(
        store, fake_openai: FakeOpenAI, tmp_path: Path) -> None:
    from devtools.fake_openai import OPENAI_KEY
    from genlab.backends.gallery import Gallery
    from genlab.backends.remote import OpenAIBackend
    from genlab.settings import Settings
    from genlab.store import learners
    from genlab.studio import GalleryKeeper, StoreLimiter

    gallery = Gallery(store, Settings(data_dir=tmp_path, daily_budget_usd=5.0, rate_limit_per_minute=50))
    with store.session() as session:
        ada = learners.get_or_create(session, "Ada").id
    backend = OpenAIBackend(OPENAI_KEY, base_url=f"{fake_openai.url}/v1", timeout_s=5)
    keeper, limits = GalleryKeeper(gallery, ada, tmp_path / "scratch"), StoreLimiter(gallery, ada)
    (tmp_path / "scratch").mkdir()

    empty = run(backend, ImageRequest("a fox trigger:empty_data", quality="low"), "generate", gallery=keeper,
                limits=limits)
    assert empty.error is not None and empty.billed == "maybe" and empty.generation_id is not None
    assert limits.spent_today() == 0
    broken = run(backend, ImageRequest("a fox trigger:truncated_png", quality="low"), "generate", gallery=keeper,
                 limits=limits)
    assert broken.billed == "yes" and broken.charged_usd > 0
    assert limits.spent_today() == pytest.approx(broken.charged_usd)
    rows = gallery.history(ada, include_failed=True)
    assert [r.error_kind for r in rows] == ["bad_image", "no_images"]
    assert rows[1].cost is not None and rows[1].cost.basis == "unknown" and rows[1].cost.usd == 0
    assert gallery.history(ada) == []  # nothing is listed as a success
