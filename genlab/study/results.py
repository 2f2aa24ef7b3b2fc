"""Results: an attempt per objective and domain, readiness on the exam's 1000-point scale, CSV export.

The scaled score is an estimate: the share of points times 1000. Microsoft's real scaling is not
published and is not linear, so the pages say "estimate"; what matters is the 700 pass mark as a
target and which objectives pull the learner down.
"""

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from genlab.content import IN_SCOPE_OBJECTIVES, OBJECTIVE_NAMES, domain_of
from genlab.study.attempts import MODES, Answer, Attempt, latest_answers
from genlab.study.selection import DOMAIN_SHARES, Entry

SCALE = 1000
PASS_MARK = 700
#: The label of every scaled number the pages show.
ESTIMATE_LABEL = "Estimate from this module only"
#: Said next to every scaled number: it is this app's linear estimate from this module's questions.
CAVEAT = ("This is an estimate from this module's questions only: the real exam covers all AI-901 domains, and "
          "700 is a scaled score, not 70% of the questions.")
#: Below this an objective is listed as "needs review" (a common exam-prep rule of thumb: 65%).
WEAK_SHARE = 0.65


def scaled(share: float) -> int:
    """A share of points (0..1) on the exam's 0-1000 scale."""
    return round(SCALE * max(0.0, min(1.0, share)))


@dataclass(frozen=True)
class ObjectiveScore:
    objective: str
    name: str
    domain: int
    points: float
    items: int

    @property
    def share(self) -> float:
        return self.points / self.items if self.items else 0.0


@dataclass(frozen=True)
class AttemptResult:
    points: float
    items: int
    objectives: list[ObjectiveScore]  # in exam order (1.1.1 ... 2.3.3), only those asked
    mistakes: list[str]  # items not fully right, unanswered included, in the attempt's order
    unanswered: list[str]

    @property
    def share(self) -> float:
        return self.points / self.items if self.items else 0.0

    @property
    def scaled(self) -> int:
        return scaled(self.share)

    @property
    def passed(self) -> bool:
        return self.scaled >= PASS_MARK


def _objective_scores(points: Mapping[str, list[float]]) -> list[ObjectiveScore]:
    return [ObjectiveScore(o, OBJECTIVE_NAMES[o], domain_of(o), sum(points[o]), len(points[o]))
            for o in IN_SCOPE_OBJECTIVES if points.get(o)]


def attempt_result(attempt: Attempt, index: Mapping[str, Entry]) -> AttemptResult:
    """Score an attempt per objective; an unanswered item counts 0 for its objective."""
    points: dict[str, list[float]] = defaultdict(list)
    mistakes = []
    for item_id in attempt.item_ids:
        saved = attempt.answers.get(item_id)
        objective = saved.objective if saved else index[item_id].item.objective
        value = saved.points if saved else 0.0
        points[objective].append(value)
        if value < 1.0 - 1e-9:
            mistakes.append(item_id)
    total = sum(sum(v) for v in points.values())
    return AttemptResult(total, len(attempt.item_ids), _objective_scores(points), mistakes, attempt.unanswered)


@dataclass(frozen=True)
class Readiness:
    """How ready the learner looks, from each item's latest answer."""

    objectives: list[ObjectiveScore]
    domains: dict[int, float]  # mean objective mastery per domain that has answers
    estimate: int | None  # on the 1000-point scale; None before any answer
    answered: int
    total: int

    @property
    def weak(self) -> list[ObjectiveScore]:
        return [o for o in self.objectives if o.share < WEAK_SHARE]

    @property
    def on_track(self) -> bool:
        return self.estimate is not None and self.estimate >= PASS_MARK


def readiness(latest: Mapping[str, Answer], total_items: int) -> Readiness:
    """Mastery per objective, averaged per domain, then weighted like the exam (domain midpoints
    42.5% and 57.5%, renormalised when only one domain has answers)."""
    points: dict[str, list[float]] = defaultdict(list)
    for a in latest.values():
        points[a.objective].append(a.points)
    objectives = _objective_scores(points)
    by_domain: dict[int, list[float]] = defaultdict(list)
    for o in objectives:
        by_domain[o.domain].append(o.share)
    domains = {d: sum(v) / len(v) for d, v in sorted(by_domain.items())}
    weights = {d: sum(DOMAIN_SHARES[d]) / 2 for d in domains}
    estimate = scaled(sum(domains[d] * weights[d] for d in domains) / sum(weights.values())) if domains else None
    return Readiness(objectives, domains, estimate, len(latest), total_items)


def learner_readiness(attempts: list[Attempt], total_items: int) -> Readiness:
    return readiness(latest_answers(attempts), total_items)


# --- export -------------------------------------------------------------------------------------

ATTEMPT_COLUMNS = ["attempt_id", "mode", "scope", "status", "started_at_utc", "finished_at_utc", "items",
                   "answered", "score_percent", "scaled_score", "passed"]
ANSWER_COLUMNS = ["attempt_id", "mode", "item_id", "objective", "objective_name", "domain", "points",
                  "correct", "answered_at_utc"]


def attempts_frame(attempts: list[Attempt]) -> pd.DataFrame:
    """One row per attempt (the scaled score and pass flag only for finished attempts)."""
    rows = []
    for a in attempts:
        finished = a.status == "finished" and a.score is not None
        rows.append({
            "attempt_id": a.id, "mode": MODES.get(a.mode, a.mode), "scope": a.scope, "status": a.status,
            "started_at_utc": a.started_at.isoformat(timespec="seconds"),
            "finished_at_utc": a.finished_at.isoformat(timespec="seconds") if a.finished_at else "",
            "items": len(a.item_ids), "answered": len(a.answers),
            "score_percent": round(100 * a.score, 1) if finished else None,
            "scaled_score": scaled(a.score) if finished else None,
            "passed": scaled(a.score) >= PASS_MARK if finished else None,
        })
    return pd.DataFrame(rows, columns=ATTEMPT_COLUMNS)


def answers_frame(attempts: list[Attempt]) -> pd.DataFrame:
    """One row per answered item, for a per-question breakdown."""
    rows = [{"attempt_id": a.id, "mode": MODES.get(a.mode, a.mode), "item_id": ans.item_id,
             "objective": ans.objective, "objective_name": OBJECTIVE_NAMES.get(ans.objective, ""),
             "domain": domain_of(ans.objective), "points": round(ans.points, 3),
             "correct": ans.points >= 1.0 - 1e-9, "answered_at_utc": ans.answered_at.isoformat(timespec="seconds")}
            for a in attempts for item_id in a.item_ids if (ans := a.answers.get(item_id))]
    return pd.DataFrame(rows, columns=ANSWER_COLUMNS)


def to_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV bytes for a download button."""
    return frame.to_csv(index=False).encode("utf-8")
