"""Which items a quiz asks, and in which order its options appear.

Everything here is a pure function of the bank and a per-attempt ``seed``. The seed is stored with
the attempt, so a reload or an app restart draws the same items and shows the options in the same
order; a new attempt gets a new seed and a new shuffle.

The unit of a quiz is a *scored item*: a stand-alone question or one sub-item of a case study
(shown with its scenario), because each of those counts as one question on the exam.
"""

import math
import random
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from genlab.content import IN_SCOPE_OBJECTIVES, ContentBank, domain_of, iter_scored
from genlab.quiz_schema import CaseItem, FillItem, MatchItem, MultiItem, OrderItem, ScoredItem, SingleItem

LESSON_CHECK_ITEMS = 5
PRACTICE_ITEMS = 10
DRILL_ITEMS = 20
EXAM_ITEMS = 20
#: Exam time per question: 20 items -> 30 minutes, a pace that leaves time for the review screen.
EXAM_SECONDS_PER_ITEM = 90
#: The lengths a learner may choose: from a short timed check up to the 60 questions of the public AI-901
#: practice tests.
EXAM_ITEM_RANGE = (5, 60)
#: The times a learner may choose, in minutes.
EXAM_MINUTE_RANGE = (5, 120)


def exam_minutes(n: int) -> int:
    """The default time for an ``n``-question simulation: :data:`EXAM_SECONDS_PER_ITEM` each, whole minutes up."""
    return math.ceil(n * EXAM_SECONDS_PER_ITEM / 60)


#: Where the default length and time come from, said wherever the simulation is offered.
EXAM_DEFAULT_SOURCE = (
    f"Default: {EXAM_ITEMS} questions in {exam_minutes(EXAM_ITEMS)} minutes ({EXAM_SECONDS_PER_ITEM} seconds a "
    "question), a practice slice of this module. Microsoft does not publish a fixed number of questions for AI-901 "
    "(it varies per sitting); the domain weights come from the AI-901 study guide's skills measured.")


def exam_sections(ids: Sequence[str], index: Mapping[str, "Entry"]) -> list[tuple[str, list[str]]]:
    """The simulation's sections in order, as on the real exam: the stand-alone questions, then the case study.

    A learner can move freely and mark questions for review within the questions; the case study keeps its
    sub-items together at the end with its scenario.
    """
    standalone = [i for i in ids if index[i].case is None]
    cases = [i for i in ids if index[i].case is not None]
    sections = [("Questions", standalone)] if standalone else []
    if cases:
        sections.append((f"Case study: {index[cases[0]].case.stem}", cases))
    return sections


#: AI-901 skills measured: domain 1 is 40-45% of the exam, domain 2 is 55-60%.
DOMAIN_SHARES: dict[int, tuple[float, float]] = {1: (0.40, 0.45), 2: (0.55, 0.60)}


@dataclass(frozen=True)
class Entry:
    """A scored item and the case study it belongs to (None for stand-alone items)."""

    item: ScoredItem
    case: CaseItem | None


def item_index(bank: ContentBank) -> dict[str, Entry]:
    """Every scored item by id, in-scope objectives only."""
    return {item.id: Entry(item, case) for item, case in iter_scored(bank.questions)
            if item.objective in IN_SCOPE_OBJECTIVES}


def _rng(seed: int, salt: str) -> random.Random:
    return random.Random(f"{seed}:{salt}")  # str seeds are hashed with SHA-512: stable across runs


def _spread(entries: Iterable[Entry], n: int, rng: random.Random) -> list[Entry]:
    """Up to ``n`` entries drawn round-robin over their objectives, so every objective is asked."""
    by_objective: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        by_objective[entry.item.objective].append(entry)
    pools = [by_objective[o] for o in sorted(by_objective)]
    for pool in pools:
        rng.shuffle(pool)
    rng.shuffle(pools)
    picked: list[Entry] = []
    while len(picked) < n and any(pools):
        for pool in pools:
            if pool and len(picked) < n:
                picked.append(pool.pop())
    return picked


def lesson_check(bank: ContentBank, slug: str, seed: int, n: int = LESSON_CHECK_ITEMS) -> list[str]:
    """A short knowledge check for one lesson: up to ``n`` of its items, spread over its objectives."""
    rng = _rng(seed, f"lesson:{slug}")
    return [e.item.id for e in _spread((e for e in item_index(bank).values() if e.item.lesson == slug), n, rng)]


def objective_practice(bank: ContentBank, objective: str, seed: int, n: int = PRACTICE_ITEMS) -> list[str]:
    """Up to ``n`` items of one objective, shuffled."""
    ids = [i for i, e in item_index(bank).items() if e.item.objective == objective]
    _rng(seed, f"objective:{objective}").shuffle(ids)
    return ids[:n]


def mistakes_drill(bank: ContentBank, missed: Sequence[str], seed: int, n: int = DRILL_ITEMS) -> list[str]:
    """A drill of only the items the learner missed (that are still in the bank), shuffled."""
    index = item_index(bank)
    ids = [i for i in dict.fromkeys(missed) if i in index]
    _rng(seed, "mistakes").shuffle(ids)
    return ids[:n]


def domain_two_counts(n: int) -> list[int]:
    """The numbers of domain-2 items an ``n``-item exam may have (55-60%, the rest from domain 1).

    When no whole number fits (13 items: 7.15 to 7.8) the nearest to 57.5% is used.
    """
    low, high = DOMAIN_SHARES[2]
    return list(range(math.ceil(low * n), math.floor(high * n) + 1)) or [round((low + high) / 2 * n)]


def exam_simulation(bank: ContentBank, seed: int, n: int = EXAM_ITEMS) -> list[str]:
    """An exam of ``n`` items weighted like AI-901 by domain, spread over the objectives of each.

    For ten or more items one case study is included, its sub-items kept together at the end as on
    the real exam; its sub-items count towards their own domains.
    """
    rng = _rng(seed, "exam")
    index = item_index(bank)
    two = rng.choice(domain_two_counts(n))
    quota = {1: n - two, 2: two}
    cases: dict[str, list[Entry]] = defaultdict(list)
    for entry in index.values():
        if entry.case is not None:
            cases[entry.case.id].append(entry)
    block: list[Entry] = []
    if n >= 10 and cases:
        block = cases[rng.choice(sorted(cases))]
        need = {d: sum(1 for e in block if domain_of(e.item.objective) == d) for d in quota}
        if all(need[d] <= quota[d] for d in quota):
            quota = {d: quota[d] - need[d] for d in quota}
        else:
            block = []
    standalone = [e for e in index.values() if e.case is None]
    picked: list[Entry] = []
    for domain, count in quota.items():
        picked += _spread((e for e in standalone if domain_of(e.item.objective) == domain), count, rng)
    rng.shuffle(picked)
    return [e.item.id for e in picked + block]


def display_order(item: ScoredItem, seed: int) -> list[str]:
    """The ids of an item's parts in the order the page shows them, fixed by the attempt's seed.

    Options (single, multi, fill) and the right-hand answers of a match (decoys included) are shuffled; the steps of an
    order item are scrambled so they never start in the correct order; Yes/No statements keep theirs.
    """
    rng = _rng(seed, item.id)
    if isinstance(item, SingleItem | MultiItem | FillItem):
        ids = [o.id for o in item.options]
    elif isinstance(item, MatchItem):
        ids = list(item.answers())  # the pairs' answers and the decoys, shuffled together
    elif isinstance(item, OrderItem):
        correct = [s.id for s in item.steps]
        ids = correct[:]
        rng.shuffle(ids)
        if ids == correct:
            ids = ids[1:] + ids[:1]
        return ids
    else:
        return [s.id for s in item.statements]
    rng.shuffle(ids)
    return ids
