"""Render a lesson from content/: its sections, objective badges and the interactive parts between them."""

import re
from collections.abc import Callable

import streamlit as st

from genlab.content import OBJECTIVE_NAMES, Lesson, load_bank, load_lessons
from ui.navigation import all_pages


@st.cache_resource(show_spinner=False)
def lessons() -> dict[str, Lesson]:
    return {lesson.slug: lesson for lesson in load_lessons()}


def badges(objectives: list[str]) -> str:
    """AI-901 objective tags as Streamlit badges, with the objective's name for context."""
    return " ".join(f":blue-badge[AI-901 {o} · {OBJECTIVE_NAMES.get(o, '')}]" for o in objectives)


def render(slug: str, interactive: dict[int, Callable[[], None]] | None = None,
           links: dict[int, list[tuple[str, str]]] | None = None) -> Lesson:
    """Draw lesson ``slug``; ``interactive[i]`` is drawn right after section ``i`` (0-based), then
    ``links[i]``: (page path, label) pairs to the app's pages where the section can be tried."""
    listed = {p.path for p in all_pages()}
    lesson = lessons()[slug]
    st.title(lesson.title, anchor=False)
    st.markdown(f"{lesson.summary}  \n*About {lesson.minutes} minutes.* {badges(lesson.objectives)}")
    for i, section in enumerate(lesson.sections):
        st.header(section.title, anchor=False)
        st.markdown(badges(section.objectives))
        markdown(section.markdown)
        if interactive and i in interactive:
            with st.container(border=True):
                # A fragment reruns alone: moving a slider redraws its own panel, not the whole lesson.
                st.fragment(interactive[i])()
        for path, label in (links or {}).get(i, []):
            if path in listed:
                st.page_link(path, label=label, icon=":material/arrow_forward:")
    _next_steps(lesson)
    return lesson


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
