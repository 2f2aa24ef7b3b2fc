"""The shape of every quiz item and flashcard, checked when the bank is loaded.

The bank is hand-written YAML, so typos are the main risk: an option without an explanation, two
"correct" answers in a single-choice item, a misspelt field name that would silently drop text.
Every model therefore forbids unknown fields, and the validators enforce the counts the quiz pages
rely on (for example a "Select TWO" item really has two correct options). Errors are reported by
:mod:`genlab.content` with the file, the item id and the field path.

This module is pure data validation: it imports neither streamlit nor the rest of the engine, so
the schema can be reused by scripts that lint the content.
"""

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, field_validator

#: The AI-901 objectives this app teaches (skills measured as of 15 April 2026).
IN_SCOPE_OBJECTIVES: tuple[str, ...] = (
    "1.1.1", "1.1.2", "1.1.3", "1.1.4", "1.1.5", "1.1.6",
    "1.2.1", "1.2.2", "1.2.3",
    "1.3.1", "1.3.4",
    "2.3.1", "2.3.2", "2.3.3",
)

#: Lesson slugs, one per Markdown file in ``content/lessons``.
LESSON_SLUGS: tuple[str, ...] = ("diffusion", "foundry", "vision-vs-generation", "responsible-ai")

#: The question types, in the order the quiz pages list them.
QUESTION_TYPES: tuple[str, ...] = ("single", "multi", "yesno", "match", "order", "fill", "case")

#: The blank in a ``fill`` item's code snippet.
BLANK = "____"

_ID_RE = re.compile(r"^[a-z0-9]+(?:[-.][a-z0-9]+)*$")


def _check_objective(value: str) -> str:
    if value not in IN_SCOPE_OBJECTIVES:
        raise ValueError(f"{value!r} is not an in-scope AI-901 objective (expected one of "
                         f"{', '.join(IN_SCOPE_OBJECTIVES)})")
    return value


def _check_id(value: str) -> str:
    if not _ID_RE.match(value):
        raise ValueError(f"{value!r} is not a valid id (use lower-case letters, digits and '-', "
                         "e.g. 'diff-03')")
    return value


def _check_text(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value.strip()


def _check_code(value: str) -> str:
    # Only trailing space is trimmed: leading indentation is part of the snippet.
    if not value.strip():
        raise ValueError("must not be empty")
    return value.rstrip()


Objective = Annotated[str, AfterValidator(_check_objective)]
ItemId = Annotated[str, AfterValidator(_check_id)]
Text = Annotated[str, AfterValidator(_check_text)]
Code = Annotated[str, AfterValidator(_check_code)]
LessonSlug = Literal["diffusion", "foundry", "vision-vs-generation", "responsible-ai"]


class _Strict(BaseModel):
    """Unknown fields are errors: a misspelt ``wyh`` must not silently drop an explanation."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _unique_ids(parts: list, what: str) -> None:
    seen: set[str] = set()
    for part in parts:
        if part.id in seen:
            raise ValueError(f"duplicate {what} id {part.id!r}")
        seen.add(part.id)


def unique_ids(what: str) -> AfterValidator:
    """A list field's check that no two of its parts share an id (``what`` names them in the error)."""
    def check(parts: list) -> list:
        _unique_ids(parts, what)
        return parts
    return AfterValidator(check)


# --- the parts an item is made of -------------------------------------------------------------


class Option(_Strict):
    """One answer choice; ``why`` explains why it is right or wrong (shown after answering)."""

    id: ItemId
    text: Text
    correct: bool
    why: Text


class Statement(_Strict):
    """One Yes/No statement, as in the exam's "For each statement, select Yes or No" items."""

    id: ItemId
    text: Text
    answer: bool
    why: Text


class Pair(_Strict):
    """One left-right pair of a matching item; the page shuffles the right-hand sides."""

    id: ItemId
    left: Text
    right: Text
    why: Text


class Decoy(_Strict):
    """A right-hand answer of a matching item that fits no left-hand term.

    With more answers than terms, the last term is not given away by elimination (the exam's
    drag-and-drop items also offer more answers than boxes).
    """

    id: ItemId
    right: Text
    why: Text


class Step(_Strict):
    """One step of an ordering item; steps are stored in the correct order."""

    id: ItemId
    text: Text
    why: Text


# --- items ------------------------------------------------------------------------------------


class _ItemBase(_Strict):
    """Fields every question carries, so results can be reported per objective and lesson."""

    id: ItemId
    objective: Objective
    lesson: LessonSlug
    misconception: Text
    stem: Text
    #: Where a reviewer checks the facts: a seed document, a Microsoft Learn or Azure docs page,
    #: a reference note, or (for the local model) the module that computes the fact.
    source: Text


def _exactly_one_correct(options: list[Option]) -> list[Option]:
    _unique_ids(options, "option")
    correct = sum(o.correct for o in options)
    if correct != 1:
        raise ValueError(f"exactly one option must be correct, found {correct}")
    return options


class SingleItem(_ItemBase):
    """Pick the one correct option."""

    type: Literal["single"]
    options: list[Option] = Field(min_length=3, max_length=5)

    @field_validator("options")
    @classmethod
    def _one_correct(cls, options: list[Option]) -> list[Option]:
        return _exactly_one_correct(options)


class MultiItem(_ItemBase):
    """Pick ``select`` options; the stem must say "Select TWO" or "Select THREE" as the exam does."""

    type: Literal["multi"]
    select: Literal[2, 3]
    options: list[Option] = Field(min_length=4, max_length=6)

    @field_validator("select")
    @classmethod
    def _stem_says_how_many(cls, select: int, info: ValidationInfo) -> int:
        stem = info.data.get("stem")
        word = {2: "TWO", 3: "THREE"}[select]
        if stem is not None and f"Select {word}" not in stem:
            raise ValueError(f"select is {select} but the stem does not say 'Select {word}'")
        return select

    @field_validator("options")
    @classmethod
    def _select_correct(cls, options: list[Option], info: ValidationInfo) -> list[Option]:
        _unique_ids(options, "option")
        correct = sum(o.correct for o in options)
        select = info.data.get("select")
        if select is not None and correct != select:
            raise ValueError(f"select is {select} but {correct} options are correct")
        if select is not None and len(options) - correct < 2:
            raise ValueError("a multi-select item needs at least two wrong options")
        return options


class YesNoItem(_ItemBase):
    """Three statements, each answered Yes or No."""

    type: Literal["yesno"]
    statements: Annotated[list[Statement], unique_ids("statement")] = Field(min_length=3, max_length=3)


class MatchItem(_ItemBase):
    """Match each left-hand term to its right-hand description."""

    type: Literal["match"]
    pairs: list[Pair] = Field(min_length=3, max_length=6)
    decoys: list[Decoy] = Field(min_length=1, max_length=3)

    @field_validator("pairs")
    @classmethod
    def _unique(cls, pairs: list[Pair]) -> list[Pair]:
        _unique_ids(pairs, "pair")
        for side in ("left", "right"):
            values = [getattr(p, side) for p in pairs]
            if len(set(values)) != len(values):
                raise ValueError(f"two pairs have the same {side} side, so the match is ambiguous")
        return pairs

    @field_validator("decoys")
    @classmethod
    def _decoys_differ(cls, decoys: list[Decoy], info: ValidationInfo) -> list[Decoy]:
        pairs = info.data.get("pairs") or []
        _unique_ids([*pairs, *decoys], "pair or decoy")
        rights = [p.right for p in pairs] + [d.right for d in decoys]
        if len(set(rights)) != len(rights):
            raise ValueError("a decoy repeats another right-hand answer")
        return decoys

    def answers(self) -> dict[str, str]:
        """Every right-hand answer by id: the pairs' own, then the decoys."""
        return {p.id: p.right for p in self.pairs} | {d.id: d.right for d in self.decoys}


class OrderItem(_ItemBase):
    """Put the steps in order; the YAML lists them already in the correct order."""

    type: Literal["order"]
    steps: Annotated[list[Step], unique_ids("step")] = Field(min_length=3, max_length=6)


class FillItem(_ItemBase):
    """Fill the one ``____`` blank in a code snippet by picking an option."""

    type: Literal["fill"]
    code: Code
    options: list[Option] = Field(min_length=3, max_length=5)

    @field_validator("code")
    @classmethod
    def _one_blank(cls, code: str) -> str:
        blanks = code.count(BLANK)
        if blanks != 1:
            raise ValueError(f"the code must contain exactly one {BLANK} blank, found {blanks}")
        return code

    @field_validator("options")
    @classmethod
    def _one_correct(cls, options: list[Option]) -> list[Option]:
        return _exactly_one_correct(options)


#: An item that can stand inside a case study (anything but another case study).
CaseSubItem = Annotated[
    SingleItem | MultiItem | YesNoItem | MatchItem | OrderItem | FillItem,
    Field(discriminator="type"),
]


class CaseItem(_ItemBase):
    """A scenario followed by 2-4 items; each sub-item is scored (and counted) as a question."""

    type: Literal["case"]
    scenario: Text
    items: list[CaseSubItem] = Field(min_length=2, max_length=4)

    @field_validator("items")
    @classmethod
    def _unique(cls, items: list, info: ValidationInfo) -> list:
        _unique_ids(items, "sub-item")
        own = info.data.get("id")
        if own is not None and any(item.id == own for item in items):
            raise ValueError(f"a sub-item reuses the case id {own!r}")
        return items


#: Any question in the bank, chosen by its ``type`` field.
Question = Annotated[
    SingleItem | MultiItem | YesNoItem | MatchItem | OrderItem | FillItem | CaseItem,
    Field(discriminator="type"),
]

#: A question that is answered and scored on its own (case studies are expanded into these).
ScoredItem = SingleItem | MultiItem | YesNoItem | MatchItem | OrderItem | FillItem


class Flashcard(_Strict):
    """One card: a prompt on the front, the answer on the back."""

    id: ItemId
    front: Text
    back: Text
    objective: Objective
    lesson: LessonSlug
    source: Text
    tags: list[Text] = Field(default_factory=list)


class LessonFrontMatter(_Strict):
    """The YAML block at the top of a lesson file.

    There is no ``minutes`` field: the reading time is computed from the word count
    (:func:`genlab.content.reading_minutes`), so it cannot drift from the text.
    """

    title: Text
    slug: LessonSlug
    order: int = Field(ge=1)
    objectives: list[Objective] = Field(min_length=1)
    summary: Text
