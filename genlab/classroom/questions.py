"""Bank questions as live-quiz questions: a stem and answer choices, Kahoot style.

A live room asks questions that learners answer by tapping choices on a phone, so only items with
choices fit: single choice, fill-in-the-blank (its options are the choices, its code is shown),
multi-select ("Select TWO") and Yes/No items, which become "Which statements are true?" with the
true ones as the correct choices. Matching and ordering items have no sensible tap-a-choice form
and are left out; case-study sub-items come along with their scenario as context.

A room stores a *snapshot* of its questions (:meth:`LiveQuestion.to_json`), so editing the bank
during a class cannot change a question under the learners' fingers.

Learners' devices only ever get a :class:`PublicQuestion`, which has no ``correct`` flags and
no explanations: the right answer cannot leak from a learner's page before the reveal.
"""

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from genlab.classroom.codes import ClassroomError
from genlab.content import ContentBank, iter_scored
from genlab.quiz_schema import CaseItem, FillItem, MultiItem, ScoredItem, SingleItem, YesNoItem

#: Letters shown next to the choices on the projector and on the learners' buttons.
LETTERS = "ABCDEF"


class QuestionError(ClassroomError):
    """Questions that cannot make a live quiz; the message tells the instructor what to change."""


@dataclass(frozen=True)
class LiveChoice:
    id: str
    text: str
    correct: bool
    why: str


@dataclass(frozen=True)
class PublicChoice:
    """A choice as a learner's device sees it: no ``correct`` flag, no explanation."""

    id: str
    letter: str
    text: str


@dataclass(frozen=True)
class PublicQuestion:
    """What a learner's device is sent while answers are open."""

    stem: str
    context: str | None
    code: str | None
    select: int
    choices: tuple[PublicChoice, ...]


@dataclass(frozen=True)
class LiveQuestion:
    """One question of a room, with its answer (host side only)."""

    id: str
    objective: str
    stem: str
    context: str | None
    code: str | None
    select: int  # how many choices make the answer: 1, or 2-3 for "Select TWO/THREE"
    choices: tuple[LiveChoice, ...]

    @property
    def correct_ids(self) -> frozenset[str]:
        return frozenset(c.id for c in self.choices if c.correct)

    def letter(self, choice_id: str) -> str:
        for i, choice in enumerate(self.choices):
            if choice.id == choice_id:
                return LETTERS[i]
        raise KeyError(choice_id)

    def is_correct(self, choice_ids: frozenset[str] | set[str]) -> bool:
        """All-or-nothing, as on the exam: exactly the correct choices, no more, no fewer."""
        return frozenset(choice_ids) == self.correct_ids

    def public(self) -> PublicQuestion:
        return PublicQuestion(self.stem, self.context, self.code, self.select,
                              tuple(PublicChoice(c.id, LETTERS[i], c.text) for i, c in enumerate(self.choices)))

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "LiveQuestion":
        return cls(**{**data, "choices": tuple(LiveChoice(**c) for c in data["choices"])})


def _from_item(item: ScoredItem, case: CaseItem | None) -> LiveQuestion | None:
    context = case.scenario if case is not None else None
    if isinstance(item, SingleItem | FillItem | MultiItem):
        code = item.code if isinstance(item, FillItem) else None
        select = item.select if isinstance(item, MultiItem) else 1
        choices = tuple(LiveChoice(o.id, o.text, o.correct, o.why) for o in item.options)
        return LiveQuestion(item.id, item.objective, item.stem, context, code, select, choices)
    if isinstance(item, YesNoItem):
        true = sum(s.answer for s in item.statements)
        if true == 0:  # "which are true?" with no true statement is a trick, not a quiz question
            return None
        word = {1: "ONE", 2: "TWO", 3: "THREE"}[true]
        stem = f"Which of these statements are true? Select {word}."
        choices = tuple(LiveChoice(s.id, s.text, s.answer, s.why) for s in item.statements)
        return LiveQuestion(item.id, item.objective, stem, context, None, true, choices)
    return None


def live_questions(bank: ContentBank) -> dict[str, LiveQuestion]:
    """Every bank question that can be asked live, by id, in bank order."""
    out: dict[str, LiveQuestion] = {}
    for item, case in iter_scored(bank.questions):
        question = _from_item(item, case)
        if question is not None:
            out[question.id] = question
    return out


def for_lesson(bank: ContentBank, slug: str) -> list[LiveQuestion]:
    """A lesson's knowledge check: its askable questions, in bank order."""
    lessons = {item.id: item.lesson for item, _case in iter_scored(bank.questions)}
    questions = [q for q in live_questions(bank).values() if lessons[q.id] == slug]
    if not questions:
        raise QuestionError(f"The lesson '{slug}' has no questions with answer choices to ask live.")
    return questions


def for_objective(bank: ContentBank, objective: str) -> list[LiveQuestion]:
    questions = [q for q in live_questions(bank).values() if q.objective == objective]
    if not questions:
        raise QuestionError(f"Objective {objective} has no questions with answer choices to ask live.")
    return questions


def by_ids(bank: ContentBank, ids: list[str] | str) -> list[LiveQuestion]:
    """Hand-picked questions in the order given (``"diff-01, aoai-02"`` or a list)."""
    wanted = [i.strip() for i in (ids.replace(",", " ").split() if isinstance(ids, str) else ids) if i.strip()]
    if not wanted:
        raise QuestionError("Type one or more question ids, separated by commas, for example diff-01, aoai-01.")
    known = {item.id: item for item, _case in iter_scored(bank.questions)}
    askable = live_questions(bank)
    unknown = [i for i in wanted if i not in known]
    if unknown:
        raise QuestionError(f"These ids are not in the question bank: {', '.join(unknown)}. "
                            "Check their spelling (ids look like diff-01).")
    unfit = [f"{i} ({known[i].type})" for i in wanted if i not in askable]
    if unfit:
        raise QuestionError(f"These questions have no answer choices to tap, so they cannot be asked live: "
                            f"{', '.join(unfit)}. Pick single-choice, multi-select, fill-in or yes/no items.")
    return [askable[i] for i in dict.fromkeys(wanted)]


#: The bank's item types that can be asked live, in words for the builder's type filter.
LIVE_TYPES: dict[str, str] = {"single": "Single choice", "multi": "Select TWO or THREE", "fill": "Fill in the blank",
                              "yesno": "Yes or no statements"}


@dataclass(frozen=True)
class Candidate:
    """An askable question with what the builder filters on: its lesson and its item type."""

    question: LiveQuestion
    lesson: str
    type: str


def candidates(bank: ContentBank, lessons: Iterable[str] = (), objectives: Iterable[str] = (),
               types: Iterable[str] = ()) -> list[Candidate]:
    """The askable questions matching every filter given (an empty filter matches all), in bank order."""
    lessons, objectives, types = set(lessons), set(objectives), set(types)
    items = {item.id: item for item, _case in iter_scored(bank.questions)}
    found = []
    for question in live_questions(bank).values():
        item = items[question.id]
        if ((not lessons or item.lesson in lessons) and (not objectives or question.objective in objectives)
                and (not types or item.type in types)):
            found.append(Candidate(question, item.lesson, item.type))
    return found
