"""The gallery on a real SQLite file and a real PostgreSQL schema: files as they came, rows, limits."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from devtools.fake_openai import fake_image
from genlab.backends.gallery import Gallery
from genlab.backends.prices import FREE
from genlab.backends.types import BackendError, CostEstimate, ImageRequest, ImageResult
from genlab.settings import Settings
from genlab.store import Store
from genlab.store.learners import get_or_create

REQUEST = ImageRequest("a red fox", size="1024x1024", quality="low", n=2)
PNG_1, PNG_2 = fake_image("1024x1024", "png", "one"), fake_image("1024x1024", "png", "two")


def learner(store: Store, name: str) -> int:
    with store.session() as s:
        return get_or_create(s, name).id


def gallery(store: Store, tmp_path: Path, **settings: object) -> Gallery:
    return Gallery(store, Settings(data_dir=tmp_path / "data", **settings))


def paid(usd: float, images: list[bytes] | None = None, error: BackendError | None = None) -> ImageResult:
    cost = None if error else CostEstimate(usd=usd, basis="actual", label=f"${usd}", as_of="2026-11-22")
    return ImageResult(backend="azure", model="img15", images=images if images is not None else [PNG_1],
                       usage={"output_tokens": 272}, timings={"total": 1.5}, request_id="req_1", cost=cost,
                       error=error)


def test_record_writes_the_original_bytes_and_lists_them(store: Store, tmp_path: Path) -> None:
    g = gallery(store, tmp_path)
    ada = learner(store, "Ada")
    saved = g.record(ada, REQUEST, paid(0.018, [PNG_1, PNG_2]))
    assert saved is not None
    assert [p.read_bytes() for p in saved.paths] == [PNG_1, PNG_2]  # byte for byte: credentials survive
    assert saved.paths == [tmp_path / "data" / "images" / str(ada) / f"{saved.id}-{i}.png" for i in (1, 2)]
    assert not list((tmp_path / "data" / "images" / str(ada)).glob("*.part"))
    [listed] = g.history(ada)
    assert listed.id == saved.id and listed.prompt == "a red fox" and listed.request_id == "req_1"
    assert listed.parameters == {"operation": "generate", "size": "1024x1024", "quality": "low", "n": 2,
                                 "partial_images": 0}
    assert listed.cost is not None and listed.cost.usd == pytest.approx(0.018)
    assert listed.timings == {"total": 1.5} and listed.created_at.tzinfo is not None


def test_failed_requests_are_rows_but_refusals_are_not(store: Store, tmp_path: Path) -> None:
    g = gallery(store, tmp_path)
    ada = learner(store, "Ada")
    blocked = BackendError(kind="content_filter", message="Blocked.")
    failed = g.record(ada, REQUEST, paid(0.0, [], error=blocked))
    assert failed is not None and failed.error_kind == "content_filter" and failed.paths == []
    assert g.record(ada, REQUEST, paid(0.0, [], error=BackendError(kind="validation", message="No."))) is None
    assert g.history(ada) == [] and [r.id for r in g.history(ada, include_failed=True)] == [failed.id]


def test_local_results_keep_their_seed(store: Store, tmp_path: Path) -> None:
    g = gallery(store, tmp_path)
    ada = learner(store, "Ada")
    result = ImageResult(backend="local", model="genlab-toy-diffusion", images=[PNG_1], cost=FREE, seed=42,
                         notes=["The model does not know 'fox'."])
    saved = g.record(ada, ImageRequest("a red fox"), result)
    assert saved is not None and saved.parameters["seed"] == 42 and saved.notes == result.notes
    assert saved.cost is not None and saved.cost.label == "Free, on your CPU."


def test_delete_is_per_learner_and_removes_files(store: Store, tmp_path: Path) -> None:
    g = gallery(store, tmp_path)
    ada, bob = learner(store, "Ada"), learner(store, "Bob")
    first = g.record(ada, REQUEST, paid(0.01))
    second = g.record(ada, REQUEST, paid(0.01))
    theirs = g.record(bob, REQUEST, paid(0.01))
    assert first is not None and second is not None and theirs is not None
    assert not g.delete(bob, first.id) and first.paths[0].exists()  # not Bob's to delete
    assert g.delete(ada, first.id) and not first.paths[0].exists()
    assert [r.id for r in g.history(ada)] == [second.id]
    assert g.delete_all(ada) == 1 and not second.paths[0].exists() and g.history(ada) == []
    assert [r.id for r in g.history(bob)] == [theirs.id] and theirs.paths[0].exists()


def test_rate_limit_per_learner_counts_paid_requests_only(store: Store, tmp_path: Path) -> None:
    g = gallery(store, tmp_path, rate_limit_per_minute=2)
    ada, bob = learner(store, "Ada"), learner(store, "Bob")
    free = CostEstimate(0.0, "free", "Free, on your CPU.")
    cent = CostEstimate(0.01, "estimate", "About $0.01")
    for _ in range(4):  # the free local model is never rate-limited, and its rows are not counted
        g.record(ada, REQUEST, ImageResult(backend="local", model="m", images=[PNG_1], cost=free))
    assert g.check(ada, "azure", cent) is None
    g.record(ada, REQUEST, paid(0.01))
    assert g.check(ada, "azure", cent) is None
    g.record(ada, REQUEST, paid(0.0, [], error=BackendError(kind="timeout", message="Slow.")))  # counts too
    now = datetime.now(UTC)  # just after both requests: the oldest leaves the window in 60 s less a little
    error = g.check(ada, "azure", cent, now=now + timedelta(seconds=10))
    assert error is not None and error.kind == "learner_rate_limit" and error.retry_after_s == 50
    assert error.message == ("You have made 2 paid image requests in the last minute, which is the limit for "
                             "each learner; wait 50 seconds and try again, or use the free local model, which "
                             "has no such limit.")
    assert g.check(ada, "local", free, now=now + timedelta(seconds=10)) is None
    assert g.check(ada, "azure", cent, now=now + timedelta(seconds=61)) is None
    assert g.check(bob, "azure", cent, now=now) is None


def test_daily_budget_for_paid_backends(store: Store, tmp_path: Path) -> None:
    g = gallery(store, tmp_path, daily_budget_usd=0.10)
    ada = learner(store, "Ada")
    g.record(ada, REQUEST, paid(0.08))
    g.record(ada, REQUEST, ImageResult(backend="local", model="m", images=[PNG_1], cost=FREE))
    now = datetime.now(UTC)
    assert g.spent_today(ada, now) == pytest.approx(0.08)
    estimate = CostEstimate(0.04, "estimate", "About $0.0400.")
    error = g.check(ada, "openai", estimate, now=now)
    assert error is not None and error.kind == "budget"
    assert error.message == ("This request would cost about $0.0400, and you have already spent $0.0800 of "
                             "today's $0.1000 budget for paid images; use the local model, choose a lower "
                             "quality or fewer images, or come back after midnight UTC.")
    assert g.check(ada, "openai", CostEstimate(0.02, "estimate", ""), now=now) is None
    assert g.check(ada, "local", estimate, now=now) is None  # the local model is free
    assert g.check(ada, "openai", estimate, now=now + timedelta(days=1)) is None  # a new day


def test_a_zero_budget_turns_paid_images_off(store: Store, tmp_path: Path) -> None:
    g = gallery(store, tmp_path, daily_budget_usd=0)
    error = g.check(learner(store, "Ada"), "azure", CostEstimate(0.01, "estimate", ""))
    assert error is not None and error.message == (
        "Paid images are turned off on this app (its daily budget is $0); use the local model.")
