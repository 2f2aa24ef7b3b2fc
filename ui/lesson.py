"""Render a lesson from content/: its sections, objective badges and the interactive parts between them."""

import re
from collections.abc import Callable

import streamlit as st

from genlab import lessons as reading
from genlab.content import OBJECTIVE_NAMES, Lesson, load_bank, load_lessons
from ui import state, warmup
from ui.navigation import PageSpec, all_pages


@st.cache_resource(show_spinner=False)
def lessons() -> dict[str, Lesson]:
    return {lesson.slug: lesson for lesson in load_lessons()}


@warmup.task("the lessons and the question bank")
def _warm_content() -> None:
    lessons()
    load_bank()


def badges(objectives: list[str]) -> str:
    """AI-901 objective tags as Streamlit badges, with the objective's name for context."""
    return " ".join(f":blue-badge[AI-901 {o} · {OBJECTIVE_NAMES.get(o, '')}]" for o in objectives)


def page_for(lesson: Lesson) -> PageSpec | None:
    """The listed page that draws ``lesson`` (its one heading is the lesson's title)."""
    return next((p for p in all_pages() if p.heading == lesson.title), None)


def anchor(i: int) -> str:
    return f"section-{i + 1}"


def read_by_learner(slug: str) -> frozenset[int] | None:
    """The sections of ``slug`` the current learner has ticked; None without a profile (or database)."""
    learner, store = state.current_learner(), state.store()
    if learner is None or store is None:
        return None
    with store.session() as session:
        return reading.read_sections(session, learner.id).get(slug, frozenset())


def _tick(slug: str, i: int, key: str) -> None:
    learner, store = state.current_learner(), state.store()
    if learner is not None and store is not None:
        with store.session() as session:
            reading.mark_read(session, learner.id, slug, i, bool(st.session_state.get(key)))


def _contents(lesson: Lesson, read: frozenset[int] | None) -> None:
    """The section list: where each section is, and which ones this learner has read."""
    total = len(lesson.sections)
    with st.container(border=True):
        if read is None:
            st.markdown("**In this lesson** · open a profile in the sidebar to keep track of what you have read.")
        else:
            done = len([i for i in read if i < total])
            st.progress(done / total, text=f"**In this lesson** · {done} of {total} sections read")
        lines = []
        for i, section in enumerate(lesson.sections):
            mark = " · :material/check: read" if read is not None and i in read else ""
            lines.append(f"{i + 1}. [{section.title}](#{anchor(i)}){mark}")
        st.markdown("\n".join(lines))


def render(slug: str, interactive: dict[int, Callable[[], None]] | None = None,
           links: dict[int, list[tuple[str, str]]] | None = None) -> Lesson:
    """Draw lesson ``slug``; ``interactive[i]`` is drawn right after section ``i`` (0-based), then
    ``links[i]``: (page path, label) pairs to the app's pages where the section can be tried."""
    listed = {p.path for p in all_pages()}
    lesson = lessons()[slug]
    st.title(lesson.title, anchor=False)
    st.markdown(f"{lesson.summary}  \n*About {lesson.minutes} minutes.* {badges(lesson.objectives)}")
    read = read_by_learner(slug)
    _contents(lesson, read)
    learner = state.current_learner()
    for i, section in enumerate(lesson.sections):
        st.header(section.title, anchor=anchor(i))
        st.markdown(badges(section.objectives))
        markdown(section.markdown)
        if interactive and i in interactive:
            with st.container(border=True):
                # A fragment reruns alone: moving a slider redraws its own panel, not the whole lesson.
                st.fragment(interactive[i])()
        for path, label in (links or {}).get(i, []):
            if path in listed:
                st.page_link(path, label=label, icon=":material/arrow_forward:")
        if learner is not None and read is not None:
            key = f"lesson_read_{learner.id}_{slug}_{i}"
            st.checkbox(f"I have read “{section.title}”", value=i in read, key=key, on_change=_tick,
                        args=(slug, i, key))
    _next_steps(lesson)
    _next_lesson(lesson)
    return lesson


def _next_lesson(lesson: Lesson) -> None:
    after = reading.next_lesson(list(lessons().values()), lesson.slug)
    page = page_for(after) if after is not None else None
    if page is not None and after is not None:
        st.page_link(page.path, label=f"Next lesson: {after.order}. {after.title}", icon=":material/arrow_forward:")
    elif after is None:
        st.markdown("This is the last lesson of the learning path. The **Practice** pages keep what you learnt "
                    "fresh.")


def _next_steps(lesson: Lesson) -> None:
    """Every lesson ends with its knowledge check and its flashcards."""
    listed = {p.path for p in all_pages()}
    bank = load_bank()
    questions = sum(1 for q in bank.questions if q.lesson == lesson.slug)
    cards = sum(1 for c in bank.flashcards if c.lesson == lesson.slug)
    st.header("Check your understanding", anchor=False)
    if "app_pages/quiz.py" in listed:
        st.page_link("app_pages/quiz.py", icon=":material/quiz:", query_params={"lesson": lesson.slug},
                     label=f"Take this lesson's knowledge check ({questions} questions in the bank)")
    if "app_pages/flashcards.py" in listed:
        st.page_link("app_pages/flashcards.py", label=f"Review this lesson's {cards} flashcards",
                     icon=":material/style:", query_params={"lesson": lesson.slug})


_FENCE = re.compile(r"^```([\w+-]*)\n(.*?)^```\s*$", re.MULTILINE | re.DOTALL)


def markdown(text: str) -> None:
    """Markdown with its code blocks drawn by ``st.code`` with wrapped lines.

    A wrapped block never scrolls sideways, so keyboard users can read all of it (a scrolling
    ``<pre>`` cannot take focus in Streamlit's markup).
    """
    position = 0
    for fence in _FENCE.finditer(text):
        if text[position:fence.start()].strip():
            st.markdown(text[position:fence.start()])
        st.code(fence.group(2).rstrip("\n"), language=fence.group(1) or None, wrap_lines=True)
        position = fence.end()
    if text[position:].strip():
        st.markdown(text[position:])


def section_index(slug: str, words: str) -> int:
    """The index of the first section whose title contains ``words`` (case-insensitive)."""
    for i, section in enumerate(lessons()[slug].sections):
        if words.lower() in section.title.lower():
            return i
    raise KeyError(f"lesson {slug!r} has no section titled like {words!r}")
