"""Scoring every quiz item type, with partial credit, and the feedback shown after an answer.

A response is plain JSON so it can be stored with the attempt:

========  =======================================  ===================================================
type      response                                 points (0..1)
========  =======================================  ===================================================
single    option id (or None)                      1 if the chosen option is the correct one, else 0
fill      option id (or None)                      1 for the exact correct option, else 0
multi     list of option ids                       (correct picks - wrong picks) / number to select,
                                                   never below 0
yesno     {statement id: true/false}               share of statements answered correctly
match     {pair id: pair id of the chosen right}   share of left-hand terms matched correctly
order     list of step ids, first to last          longest run of steps in the correct relative order
                                                   (not necessarily adjacent), L: (L - 1) / (n - 1);
                                                   one step out of place costs one step, the reverse
                                                   order scores 0
case      {sub-item id: that sub-item's response}  each sub-item by its own rule; the case is their
                                                   mean, and each sub-item counts as one question
========  =======================================  ===================================================

Unanswered parts score 0. Per-position scoring of order items was rejected because moving the
first step to the end would zero every position although the rest of the order is right.
"""

from bisect import bisect_left
from dataclasses import dataclass
from typing import Any

from genlab.quiz_schema import CaseItem, FillItem, MatchItem, MultiItem, OrderItem, Question, SingleItem, YesNoItem


@dataclass(frozen=True)
class Score:
    points: float  # 0..1
    detail: str  # e.g. "2 of 3 statements right"

    @property
    def correct(self) -> bool:
        return self.points >= 1.0 - 1e-9


@dataclass(frozen=True)
class FeedbackLine:
    """One option, statement, pair or step after answering: what the learner said, what is right, why."""

    label: str
    yours: str
    expected: str
    ok: bool
    why: str
    option: bool = False  # an answer option (single, multi, fill) rather than a statement, pair or step

    @property
    def verdict(self) -> str:
        """A short heading for the line, in words (the pages add an icon)."""
        if not self.option:
            return "Right" if self.ok else "Wrong"
        if self.yours == "Your choice":
            return "Your choice, correct" if self.ok else "Your choice, wrong"
        return "The correct answer, which you did not choose"


def _as_list(response: Any) -> list[str]:
    return [str(r) for r in response] if isinstance(response, list | tuple) else []


def _as_dict(response: Any) -> dict[str, Any]:
    return response if isinstance(response, dict) else {}


def _choice(item: SingleItem | FillItem, response: Any) -> Score:
    correct = next(o.id for o in item.options if o.correct)
    if response is None:
        return Score(0.0, "not answered")
    return Score(1.0, "right") if response == correct else Score(0.0, "wrong option")


def _multi(item: MultiItem, response: Any) -> Score:
    picked = set(_as_list(response))
    right = sum(1 for o in item.options if o.correct and o.id in picked)
    wrong = sum(1 for o in item.options if not o.correct and o.id in picked)
    points = max(0.0, (right - wrong) / item.select)
    return Score(min(points, 1.0), f"{right} of {item.select} correct options picked, {wrong} wrong")


def _yesno(item: YesNoItem, response: Any) -> Score:
    answers = _as_dict(response)
    right = sum(1 for s in item.statements if answers.get(s.id) is s.answer)
    return Score(right / len(item.statements), f"{right} of {len(item.statements)} statements right")


def _match(item: MatchItem, response: Any) -> Score:
    chosen = _as_dict(response)
    right = sum(1 for p in item.pairs if chosen.get(p.id) == p.id)
    return Score(right / len(item.pairs), f"{right} of {len(item.pairs)} pairs matched")


def longest_in_order(positions: list[int]) -> int:
    """Length of the longest strictly increasing subsequence (patience sorting, O(n log n))."""
    tails: list[int] = []
    for p in positions:
        i = bisect_left(tails, p)
        if i == len(tails):
            tails.append(p)
        else:
            tails[i] = p
    return len(tails)


def _order(item: OrderItem, response: Any) -> Score:
    index = {s.id: i for i, s in enumerate(item.steps)}
    seen: set[str] = set()
    positions = []
    for step_id in _as_list(response):
        if step_id in index and step_id not in seen:
            seen.add(step_id)
            positions.append(index[step_id])
    n = len(item.steps)
    run = longest_in_order(positions)
    return Score(max(0, run - 1) / (n - 1), f"{run} of {n} steps in the right order")


def _case(item: CaseItem, response: Any) -> Score:
    answers = _as_dict(response)
    scores = [score(sub, answers.get(sub.id)) for sub in item.items]
    full = sum(1 for s in scores if s.correct)
    return Score(sum(s.points for s in scores) / len(scores), f"{full} of {len(scores)} questions fully right")


def score(item: Question, response: Any) -> Score:
    """Points in 0..1 for ``response`` to ``item`` (rules in the module docstring)."""
    if isinstance(item, SingleItem | FillItem):
        return _choice(item, response)
    if isinstance(item, MultiItem):
        return _multi(item, response)
    if isinstance(item, YesNoItem):
        return _yesno(item, response)
    if isinstance(item, MatchItem):
        return _match(item, response)
    if isinstance(item, OrderItem):
        return _order(item, response)
    if isinstance(item, CaseItem):
        return _case(item, response)
    raise TypeError(f"no scoring rule for {type(item).__name__}")


def _yes_no(value: Any) -> str:
    return {True: "Yes", False: "No"}.get(value, "No answer")


def feedback(item: Question, response: Any) -> list[FeedbackLine]:
    """Why each part is right or wrong.

    For option items: the chosen options and the correct ones, each with its ``why`` (so a learner
    reads why their pick was wrong and why the answer is right). For the other types: every
    statement, pair or step. A case gives the lines of all its sub-items.
    """
    if isinstance(item, SingleItem | FillItem | MultiItem):
        picked = set(_as_list(response)) if isinstance(item, MultiItem) else {response}
        return [FeedbackLine(o.text, "Your choice" if o.id in picked else "Not chosen",
                             "Correct option" if o.correct else "Wrong option", (o.id in picked) == o.correct, o.why,
                             option=True)
                for o in item.options if o.id in picked or o.correct]
    if isinstance(item, YesNoItem):
        answers = _as_dict(response)
        return [FeedbackLine(s.text, _yes_no(answers.get(s.id)), _yes_no(s.answer), answers.get(s.id) is s.answer,
                             s.why) for s in item.statements]
    if isinstance(item, MatchItem):
        chosen = _as_dict(response)
        right = item.answers()
        decoys = {d.id: d.why for d in item.decoys}  # picking a decoy shows why it fits nothing
        return [FeedbackLine(p.left, right.get(chosen.get(p.id), "No answer"), p.right, chosen.get(p.id) == p.id,
                             " ".join([p.why, decoys.get(chosen.get(p.id), "")]).strip()) for p in item.pairs]
    if isinstance(item, OrderItem):
        given = _as_list(response)
        return [FeedbackLine(s.text, f"position {given.index(s.id) + 1}" if s.id in given else "not placed",
                             f"position {i + 1}", i < len(given) and given[i] == s.id, s.why)
                for i, s in enumerate(item.steps)]
    if isinstance(item, CaseItem):
        answers = _as_dict(response)
        return [line for sub in item.items for line in feedback(sub, answers.get(sub.id))]
    raise TypeError(f"no feedback rule for {type(item).__name__}")
