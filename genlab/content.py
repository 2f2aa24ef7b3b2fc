"""Load the learning content (lessons, quiz bank, flashcards) and check that it covers the exam.

The content is data, not code: lessons are Markdown files with YAML front matter in
``content/lessons``, questions are YAML files in ``quiz/questions`` and flashcards are in
``quiz/flashcards.yaml``. Keeping it as data lets subject experts edit it without touching the
app, and lets the tests prove that every in-scope AI-901 objective is taught and tested.

Hand-written data goes wrong in small ways, so every problem is raised as a :class:`ContentError`
whose message names the file, the item and the field, e.g.
``quiz/questions/diffusion.yaml: item 'diff-03': options -> 1 -> why: Field required``.

This module never imports streamlit: the pages cache :func:`load_bank` themselves.
"""

import functools
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import TypeAdapter, ValidationError

from genlab.errors import LearnerError
from genlab.quiz_schema import (
    IN_SCOPE_OBJECTIVES,
    QUESTION_TYPES,
    CaseItem,
    Flashcard,
    LessonFrontMatter,
    Question,
    ScoredItem,
)

__all__ = [
    "IN_SCOPE_OBJECTIVES",
    "MIN_FLASHCARDS_PER_OBJECTIVE",
    "MIN_QUESTIONS_PER_DOMAIN_TWO_OBJECTIVE",
    "MIN_QUESTIONS_PER_OBJECTIVE",
    "OBJECTIVE_NAMES",
    "READING_WPM",
    "ContentBank",
    "ContentError",
    "Flashcard",
    "Lesson",
    "Question",
    "ScoredItem",
    "Section",
    "clear_cache",
    "count_by_objective",
    "coverage_gaps",
    "domain_of",
    "iter_scored",
    "load_bank",
    "load_flashcards",
    "load_lessons",
    "load_questions",
    "min_questions",
    "reading_minutes",
]

#: The repository root: content paths are relative to it.
DEFAULT_ROOT: Path = Path(__file__).resolve().parent.parent

LESSONS_DIR = Path("content/lessons")
QUESTIONS_DIR = Path("quiz/questions")
FLASHCARDS_FILE = Path("quiz/flashcards.yaml")

#: Short names for badges and progress tables (wording follows the AI-901 study guide).
OBJECTIVE_NAMES: dict[str, str] = {
    "1.1.1": "Fairness",
    "1.1.2": "Reliability and safety",
    "1.1.3": "Privacy and security",
    "1.1.4": "Inclusiveness",
    "1.1.5": "Transparency",
    "1.1.6": "Accountability",
    "1.2.1": "How generative models work",
    "1.2.2": "Choose a model by capability",
    "1.2.3": "Deployment options and configuration parameters",
    "1.3.1": "Identify AI workload scenarios",
    "1.3.4": "Features of computer vision and image-generation models",
    "2.3.1": "Interpret visual input with a multimodal model",
    "2.3.2": "Create new visual outputs with generative models",
    "2.3.3": "Build a lightweight app with vision",
}

#: Below these counts an objective is reported by :func:`coverage_gaps`. Public AI-901 prep hubs
#: offer about ten practice questions per objective; domain 2 (55-60% of the exam) needs twice that
#: so that three weighted exam simulations can be taken before a domain-2 item repeats.
MIN_QUESTIONS_PER_OBJECTIVE = 10
MIN_QUESTIONS_PER_DOMAIN_TWO_OBJECTIVE = 20
MIN_FLASHCARDS_PER_OBJECTIVE = 6

#: Words per minute for the reading-time estimate. Adults read plain prose at about 240 words a
#: minute and technical text with tables and code more slowly; 180 leaves room for that.
READING_WPM = 180


def reading_minutes(words: int) -> int:
    """Minutes to read ``words`` words at :data:`READING_WPM`, rounded up (at least one)."""
    return max(1, -(-words // READING_WPM))

_OBJECTIVE_RE = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")
_SECTION_TAG_RE = re.compile(r"^<!--\s*objectives:\s*(.*?)\s*-->$")
_FENCE_RE = re.compile(r"^\s*(```|~~~)")
_IMAGE_NO_ALT_RE = re.compile(r"!\[\s*\]\(")
_TYPE_NAMES = frozenset(QUESTION_TYPES)

_QUESTION_LIST = TypeAdapter(Question)
_FLASHCARD = TypeAdapter(Flashcard)


class ContentError(LearnerError, ValueError):
    """Malformed content. The message names the file, the item (id or index) and the field path,
    so whoever edits the YAML or Markdown can find the mistake without reading a traceback."""


@dataclass(frozen=True)
class Section:
    """One ``## `` section of a lesson; ``objectives`` become badges on the page."""

    title: str
    objectives: list[str]
    markdown: str


@dataclass(frozen=True)
class Lesson:
    """A lesson file: its front matter plus its sections in reading order."""

    slug: str
    title: str
    order: int
    objectives: list[str]
    summary: str
    sections: list[Section]
    path: Path

    @property
    def words(self) -> int:
        """Words the learner reads: every section's Markdown, code blocks included."""
        return sum(len(s.markdown.split()) for s in self.sections)

    @property
    def minutes(self) -> int:
        """Reading time, computed from :attr:`words` so that it cannot drift from the text."""
        return reading_minutes(self.words)

    @property
    def section_objectives(self) -> set[str]:
        """Every objective some section of this lesson is tagged with."""
        return {o for s in self.sections for o in s.objectives}


@dataclass(frozen=True)
class ContentBank:
    """Everything the pages need, loaded and validated once.

    Tuples rather than lists because one bank is shared (cached) by every caller.
    ``sources`` maps each question/flashcard id to the file it came from, for error messages.
    """

    root: Path
    lessons: tuple[Lesson, ...]
    questions: tuple[Question, ...]
    flashcards: tuple[Flashcard, ...]
    sources: dict[str, list[str]] = field(default_factory=dict)

    def lesson(self, slug: str) -> Lesson:
        """The lesson with this slug (KeyError if there is none)."""
        for lesson in self.lessons:
            if lesson.slug == slug:
                return lesson
        raise KeyError(slug)

    def scored_items(self) -> list[ScoredItem]:
        """Every answerable question, with case studies expanded into their sub-items."""
        return [item for item, _case in iter_scored(self.questions)]


# --- objectives -------------------------------------------------------------------------------


def domain_of(objective: str) -> int:
    """The exam domain (1 or 2) of an objective id such as ``"2.3.1"``.

    The exam weights domain 2 at 55-60%, so an exam simulation draws questions by domain.
    """
    match = _OBJECTIVE_RE.match(objective)
    if not match:
        raise ValueError(f"{objective!r} is not an objective id like '1.2.3'")
    return int(match.group(1))


# --- errors -----------------------------------------------------------------------------------


def _rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _item_label(raw: Any, index: int) -> str:
    if isinstance(raw, dict) and isinstance(raw.get("id"), str) and raw["id"].strip():
        return f"item {raw['id'].strip()!r}"
    return f"item #{index} (no id)"


def _loc_text(loc: tuple[int | str, ...]) -> str:
    # Discriminated unions add the tag ("single", "case", ...) to the path; no field has such a
    # name, so dropping those parts leaves the path as written in the YAML.
    parts = [str(p) for p in loc if not (isinstance(p, str) and p in _TYPE_NAMES)]
    return " -> ".join(parts) if parts else "(item)"


def _format_validation(where: str, exc: ValidationError) -> str:
    lines = []
    for err in exc.errors(include_url=False):
        msg = err["msg"]
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, "):]
        lines.append(f"{where}: {_loc_text(tuple(err['loc']))}: {msg}")
    return "\n".join(lines)


def _read_yaml(path: Path, root: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ContentError(f"{_rel(path, root)}: cannot read: {exc}") from exc
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ContentError(f"{_rel(path, root)}: YAML syntax error{at}: {problem}") from exc


def _read_list(path: Path, root: Path) -> list[Any]:
    data = _read_yaml(path, root)
    if data is None:
        return []
    if not isinstance(data, list):
        raise ContentError(f"{_rel(path, root)}: expected a YAML list of items at the top level, "
                           f"got {type(data).__name__}")
    return data


# --- lessons ----------------------------------------------------------------------------------


def _split_front_matter(text: str, where: str) -> tuple[str, str, int]:
    """Return (front matter, body, line number where the body starts)."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise ContentError(f"{where}: front matter: the file must start with a '---' line")
    for i in range(1, len(lines)):
        if lines[i].strip() == "---":
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1:]), i + 2
    raise ContentError(f"{where}: front matter: no closing '---' line")


def _parse_sections(body: str, first_line: int, where: str) -> list[Section]:
    lines = body.splitlines()
    starts: list[int] = []
    in_fence = False
    for i, line in enumerate(lines):
        if _FENCE_RE.match(line):
            in_fence = not in_fence
        elif not in_fence and line.startswith("## "):
            starts.append(i)
        elif not in_fence and line.startswith("# "):
            raise ContentError(f"{where}: line {first_line + i}: use '## ' headings; the page prints "
                               "the lesson title from the front matter")
    if not starts:
        raise ContentError(f"{where}: body: no '## ' sections")
    intro = [i for i in range(starts[0]) if lines[i].strip()]
    if intro:
        raise ContentError(f"{where}: line {first_line + intro[0]}: text before the first '## ' section "
                           "(every paragraph must belong to a tagged section)")
    sections = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        title = lines[start][3:].strip()
        label = f"{where}: section {title!r} (line {first_line + start})"
        if not title:
            raise ContentError(f"{label}: empty heading")
        tag_line = lines[start + 1].strip() if start + 1 < end else ""
        tag = _SECTION_TAG_RE.match(tag_line)
        if not tag:
            raise ContentError(f"{label}: objectives: the line after the heading must be an objectives "
                               "comment such as '<!-- objectives: 1.2.1, 1.3.4 -->'")
        objectives = [o.strip() for o in tag.group(1).split(",") if o.strip()]
        if not objectives:
            raise ContentError(f"{label}: objectives: the comment lists no objective")
        for objective in objectives:
            if objective not in IN_SCOPE_OBJECTIVES:
                raise ContentError(f"{label}: objectives: {objective!r} is not an in-scope AI-901 "
                                   "objective")
        markdown = "\n".join(lines[start + 2:end]).strip()
        if not markdown:
            raise ContentError(f"{label}: markdown: the section is empty")
        if _IMAGE_NO_ALT_RE.search(markdown):
            raise ContentError(f"{label}: markdown: an image has no alt text")
        sections.append(Section(title=title, objectives=objectives, markdown=markdown))
    return sections


def _load_lesson(path: Path, root: Path) -> Lesson:
    where = _rel(path, root)
    text = path.read_text(encoding="utf-8")
    front_text, body, body_line = _split_front_matter(text, where)
    try:
        raw = yaml.safe_load(front_text)
    except yaml.YAMLError as exc:
        raise ContentError(f"{where}: front matter: YAML syntax error: {exc}") from exc
    if not isinstance(raw, dict):
        raise ContentError(f"{where}: front matter: expected key: value lines")
    try:
        front = LessonFrontMatter.model_validate(raw)
    except ValidationError as exc:
        raise ContentError(_format_validation(f"{where}: front matter", exc)) from exc
    sections = _parse_sections(body, body_line, where)
    for section in sections:
        stray = [o for o in section.objectives if o not in front.objectives]
        if stray:
            raise ContentError(f"{where}: section {section.title!r}: objectives: {', '.join(stray)} "
                               "tagged here but missing from the front matter's objectives")
    return Lesson(slug=front.slug, title=front.title, order=front.order, objectives=list(front.objectives),
                  summary=front.summary, sections=sections, path=path)


def _root(root: Path | None) -> Path:
    return (root if root is not None else DEFAULT_ROOT).resolve()


def load_lessons(root: Path | None = None) -> list[Lesson]:
    """All lessons under ``content/lessons``, sorted by their ``order``.

    Slugs and orders must be unique, since pages link to lessons by slug and list them by order.
    """
    base = _root(root)
    paths = sorted((base / LESSONS_DIR).glob("*.md"))
    if not paths:
        raise ContentError(f"{LESSONS_DIR.as_posix()}: no lesson files found")
    lessons = [_load_lesson(p, base) for p in paths]
    for attr in ("slug", "order"):
        counts = Counter(getattr(lesson, attr) for lesson in lessons)
        for value, n in counts.items():
            if n > 1:
                files = [_rel(ls.path, base) for ls in lessons if getattr(ls, attr) == value]
                raise ContentError(f"{', '.join(files)}: front matter: {attr}: {value!r} used {n} times")
    return sorted(lessons, key=lambda lesson: lesson.order)


# --- questions and flashcards -----------------------------------------------------------------


def _validate_items(path: Path, root: Path, adapter: TypeAdapter) -> list[Any]:
    where = _rel(path, root)
    items = []
    for index, raw in enumerate(_read_list(path, root)):
        label = _item_label(raw, index)
        if not isinstance(raw, dict):
            raise ContentError(f"{where}: {label}: expected a mapping of fields, got {type(raw).__name__}")
        try:
            items.append(adapter.validate_python(raw))
        except ValidationError as exc:
            raise ContentError(_format_validation(f"{where}: {label}", exc)) from exc
    return items


def _question_files(base: Path) -> list[Path]:
    paths = sorted((base / QUESTIONS_DIR).glob("*.yaml")) + sorted((base / QUESTIONS_DIR).glob("*.yml"))
    if not paths:
        raise ContentError(f"{QUESTIONS_DIR.as_posix()}: no question files found")
    return paths


def load_questions(root: Path | None = None) -> list[Question]:
    """Every question in ``quiz/questions/*.yaml``, file by file, in file order."""
    base = _root(root)
    return [q for p in _question_files(base) for q in _validate_items(p, base, _QUESTION_LIST)]


def load_flashcards(root: Path | None = None) -> list[Flashcard]:
    """Every card in ``quiz/flashcards.yaml``, in file order."""
    base = _root(root)
    path = base / FLASHCARDS_FILE
    if not path.is_file():
        raise ContentError(f"{FLASHCARDS_FILE.as_posix()}: file not found")
    return _validate_items(path, base, _FLASHCARD)


def _all_ids(item: Question) -> Iterator[str]:
    yield item.id
    if isinstance(item, CaseItem):
        for sub in item.items:
            yield sub.id


@functools.lru_cache(maxsize=8)
def _load_bank_cached(base: Path) -> ContentBank:
    lessons = load_lessons(base)
    sources: dict[str, list[str]] = {}
    questions: list[Question] = []
    for path in _question_files(base):
        for q in _validate_items(path, base, _QUESTION_LIST):
            questions.append(q)
            for item_id in _all_ids(q):
                sources.setdefault(item_id, []).append(_rel(path, base))
    flashcards = load_flashcards(base)
    for card in flashcards:
        sources.setdefault(card.id, []).append(FLASHCARDS_FILE.as_posix())
    return ContentBank(root=base, lessons=tuple(lessons), questions=tuple(questions),
                       flashcards=tuple(flashcards), sources=sources)


def load_bank(root: Path | None = None) -> ContentBank:
    """Lessons, questions and flashcards, loaded and validated once per root (cached).

    Parsing and validating ~70 items takes a noticeable fraction of a second; the pages call this
    on every rerun, so the result is cached on the resolved root path. Call :func:`clear_cache`
    after editing content in a long-running process.
    """
    return _load_bank_cached(_root(root))


def clear_cache() -> None:
    """Forget cached banks (after content files change)."""
    _load_bank_cached.cache_clear()


# --- coverage ---------------------------------------------------------------------------------


def iter_scored(
    questions: tuple[Question, ...] | list[Question],
) -> Iterator[tuple[ScoredItem, CaseItem | None]]:
    """Each answerable item with the case study it belongs to (``None`` for stand-alone items).

    A case study's sub-items are the questions the learner answers, so they are what counts
    towards an objective, not the case itself.
    """
    for q in questions:
        if isinstance(q, CaseItem):
            for sub in q.items:
                yield sub, q
        else:
            yield q, None


def min_questions(objective: str) -> int:
    """The least number of scored items an objective needs (more for domain 2, the heavier one)."""
    return MIN_QUESTIONS_PER_DOMAIN_TWO_OBJECTIVE if domain_of(objective) == 2 else MIN_QUESTIONS_PER_OBJECTIVE


def count_by_objective(bank: ContentBank) -> dict[str, tuple[int, int]]:
    """For each in-scope objective: (number of questions, number of flashcards)."""
    questions = Counter(item.objective for item, _case in iter_scored(bank.questions))
    cards = Counter(card.objective for card in bank.flashcards)
    return {o: (questions[o], cards[o]) for o in IN_SCOPE_OBJECTIVES}


def coverage_gaps(bank: ContentBank) -> list[str]:
    """Human-readable problems that make the bank unfit for exam practice (empty when fine).

    Reports every in-scope objective that no lesson section teaches, or that has fewer than
    :func:`min_questions` questions or :data:`MIN_FLASHCARDS_PER_OBJECTIVE`
    flashcards, and every id used more than once (ids key the learner's progress records, so
    a duplicate would merge two items' histories).
    """
    gaps: list[str] = []
    taught = {o for lesson in bank.lessons for o in lesson.section_objectives}
    counts = count_by_objective(bank)
    for objective in IN_SCOPE_OBJECTIVES:
        name = f"{objective} ({OBJECTIVE_NAMES[objective]})"
        if objective not in taught:
            gaps.append(f"Objective {name} is not taught: no lesson section is tagged with it.")
        n_questions, n_cards = counts[objective]
        if n_questions < min_questions(objective):
            gaps.append(f"Objective {name} has {n_questions} question(s); at least "
                        f"{min_questions(objective)} are needed.")
        if n_cards < MIN_FLASHCARDS_PER_OBJECTIVE:
            gaps.append(f"Objective {name} has {n_cards} flashcard(s); at least "
                        f"{MIN_FLASHCARDS_PER_OBJECTIVE} are needed.")
    for item_id, files in sorted(bank.sources.items()):
        if len(files) > 1:
            gaps.append(f"Id {item_id!r} is used {len(files)} times (in {', '.join(sorted(set(files)))}).")
    return gaps
