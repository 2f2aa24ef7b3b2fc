"""Widgets shared by the practice pages (Flashcards, Knowledge check): the cached bank, the learner gate,
a quiz item drawn as widgets, feedback in words and icons, and accessible charts.

Charts follow ``ui.charts``: Altair marks with ``aria=False``, a ``description`` on the chart, and
a text equivalent printed next to it (axe checks the page; screen readers read the text).
"""

from datetime import UTC, date, datetime
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from genlab.content import OBJECTIVE_NAMES, ContentBank, load_bank
from genlab.quiz_schema import BLANK, FillItem, MatchItem, MultiItem, OrderItem, SingleItem, YesNoItem
from genlab.store import Store
from genlab.study.results import PASS_MARK, ObjectiveScore
from genlab.study.scoring import FeedbackLine, Score, feedback
from genlab.study.selection import Entry, display_order, item_index
from ui.state import CurrentLearner, current_learner
from ui.state import store as state_store


@st.cache_resource(show_spinner=False)
def bank() -> ContentBank:
    return load_bank()


@st.cache_resource(show_spinner=False)
def index() -> dict[str, Entry]:
    return item_index(bank())


def now() -> datetime:
    return datetime.now(UTC)


def keyboard_hints() -> None:
    """Show the shortcut printed on a button (Space, Enter, 1-4) as a key cap at full contrast.

    Streamlit draws the hint at 60% opacity, which axe measures below 4.5:1 on white for hints
    longer than one character ("Space", "Enter").
    """
    st.html("<style>[data-testid='stMain'] button kbd {opacity: 1; border: 1px solid currentColor; "
            "border-radius: 4px; padding: 0 0.3em;}</style>")
    st.html(ENTER_SUBMITS, unsafe_allow_javascript=True)


#: Enter on a focused choice (radio or checkbox) presses its form's first submit button, as the
#: "Enter" key cap on that button promises. Streamlit's own shortcuts skip keys typed into inputs.
ENTER_SUBMITS = """<script>
if (!window.genlabEnterSubmits) {
  window.genlabEnterSubmits = true;
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || event.shiftKey || event.ctrlKey || event.altKey || event.metaKey
        || event.isComposing) return;
    const target = event.target;
    if (!(target instanceof HTMLInputElement) || !["radio", "checkbox"].includes(target.type)) return;
    const button = target.closest('[data-testid="stForm"]')
      ?.querySelector('[data-testid="stFormSubmitButton"] button:not([disabled])');
    if (!button) return;
    event.preventDefault();
    button.click();
  }, true);
}
</script>"""


def require_learner(what: str) -> tuple[CurrentLearner, Store]:
    """The current learner and the store; otherwise say how to pick a profile (or why the database
    is unavailable) and stop the page, since nothing on a practice page works without both."""
    learner = current_learner()
    if learner is None:
        st.info(f"{what} are saved under a learner profile. Type your name and a PIN under **Your profile** in "
                "the sidebar and press **Start learning**, then come back here.", icon=":material/person:")
        st.stop()
    store = state_store()
    if store is None:
        st.stop()
    return learner, store


def objective_label(objective: str) -> str:
    return f"{objective} {OBJECTIVE_NAMES.get(objective, '')}".strip()


# --- a quiz item as widgets -------------------------------------------------------------------


def _index_of(options: list[str], value: Any) -> int | None:
    return options.index(value) if value in options else None


def item_widgets(entry: Entry, seed: int, key: str, saved: Any = None) -> Any:
    """Draw the item's widgets (inside a form) and return the response they hold.

    ``saved`` is a stored response, used as the widgets' starting values when the learner comes back
    to an item. Options appear in the attempt's shuffled order (fixed by ``seed``).
    """
    item = entry.item
    if entry.case is not None:
        with st.container(border=True):
            st.markdown(f"**Case study.** {entry.case.scenario}")
    order = display_order(item, seed)
    st.markdown(item.stem)
    if isinstance(item, SingleItem | FillItem):
        texts = {o.id: o.text for o in item.options}
        label = item.stem  # the group's accessible name; the stem is printed above at body size
        if isinstance(item, FillItem):
            st.code(item.code, language="python", wrap_lines=True)
            label = f"Which option fills the blank {BLANK}?"
        return st.radio(label, order, index=_index_of(order, saved), format_func=texts.__getitem__, key=key,
                        label_visibility="collapsed" if label == item.stem else "visible")
    if isinstance(item, MultiItem):
        texts = {o.id: o.text for o in item.options}
        return [o for o in order if st.checkbox(texts[o], value=o in (saved or []), key=f"{key}-{o}")]
    if isinstance(item, YesNoItem):
        answers = saved or {}
        picked = {s.id: st.radio(s.text, ["Yes", "No"], horizontal=True, key=f"{key}-{s.id}",
                                 index={True: 0, False: 1}.get(answers.get(s.id)))
                  for s in item.statements}
        return {sid: value == "Yes" for sid, value in picked.items() if value is not None}
    if isinstance(item, MatchItem):
        rights = item.answers()
        chosen = saved or {}
        picked = {p.id: st.selectbox(p.left, order, index=_index_of(order, chosen.get(p.id)),
                                     format_func=rights.__getitem__, placeholder="Choose the matching description",
                                     key=f"{key}-{p.id}")
                  for p in item.pairs}
        return {pid: value for pid, value in picked.items() if value is not None}
    if isinstance(item, OrderItem):
        texts = {s.id: s.text for s in item.steps}
        return st.multiselect("Pick the steps one by one, first step first", order, default=saved or [],
                              format_func=texts.__getitem__, placeholder="Choose the next step", key=key)
    raise TypeError(f"cannot draw {type(item).__name__}")


def item_text(entry: Entry) -> None:
    """The question as the learner saw it, without its widgets: case study, stem, and a fill-in item's
    code (the blank is in the code, so feedback without it cannot be followed)."""
    if entry.case is not None:
        st.markdown(f"**Case study.** {entry.case.scenario}")
    st.markdown(entry.item.stem)
    if isinstance(entry.item, FillItem):
        st.code(entry.item.code, language="python", wrap_lines=True)


def is_blank(response: Any) -> bool:
    return response is None or response == [] or response == {}


# --- feedback ---------------------------------------------------------------------------------


def verdict(score: Score) -> None:
    """The result in words and an icon (never colour alone)."""
    if score.correct:
        st.success(f"**Correct:** {score.detail}.", icon=":material/check_circle:")
    elif score.points > 0:
        st.warning(f"**Partly right:** {score.detail} ({score.points:.0%} of the points).", icon=":material/rule:")
    else:
        st.error(f"**Not quite:** {score.detail}.", icon=":material/cancel:")


def _line(line: FeedbackLine) -> str:
    icon = ":material/check:" if line.ok else ":material/close:" if line.yours != "Not chosen" else \
        ":material/arrow_forward:"
    said = "" if line.option else f"  \n  You: {line.yours}. Answer: {line.expected}."
    return f"- {icon} **{line.verdict}:** {line.label}{said}  \n  {line.why}"


def explanation(entry: Entry, response: Any) -> None:
    """Why the chosen and the correct options are what they are."""
    st.markdown("\n".join(_line(line) for line in feedback(entry.item, response)))


# --- charts -----------------------------------------------------------------------------------


def forecast_chart(forecast: list[tuple[date, int]]) -> None:
    frame = pd.DataFrame({"day": [d.strftime("%a %d") for d, _ in forecast], "cards": [n for _, n in forecast]})
    chart = alt.Chart(frame).mark_bar(aria=False).encode(
        x=alt.X("day:N", sort=None, title="Day (UTC)", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("cards:Q", title="Cards due", axis=alt.Axis(tickMinStep=1)),
    ).properties(height=220, description="Bar chart of how many flashcards fall due on each of the next 14 days. "
                                         "The sentence below lists the same numbers.")
    st.altair_chart(chart)
    parts = [f"{day.strftime('%a %d %b')}: {n}" for day, n in forecast if n]
    st.markdown("**Due forecast as text:** " + ("; ".join(parts) + "." if parts else
                                                "nothing is due in the next 14 days."))


def retention_chart(actual: float | None, desired: float, reviews: int) -> None:
    if actual is None:
        st.markdown(f"**True retention:** not measured yet: it needs reviews of cards that have left the learning "
                    f"steps. Your desired retention is {desired:.0%}.")
        return
    frame = pd.DataFrame({"measure": ["Desired retention", "True retention (30 days)"], "share": [desired, actual]})
    chart = alt.Chart(frame).mark_bar(aria=False).encode(
        y=alt.Y("measure:N", title=None),
        x=alt.X("share:Q", title="Share of reviews remembered", scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%")),
    ).properties(height=110, description="Two bars: the desired retention setting and the measured true "
                                         "retention. The sentence below gives the numbers.")
    st.altair_chart(chart)
    st.markdown(f"**Retention as text:** you remembered {actual:.0%} of {reviews} reviews of learned cards in the "
                f"last 30 days; your desired retention is {desired:.0%}.")


def mastery_chart(objectives: list[ObjectiveScore], title: str) -> None:
    """Score per objective, with a dashed line at 70% of the points, where this app's linear estimate puts 700.

    700 is a scaled score on the real exam, not 70% of the questions; the line is only a guide."""
    if not objectives:
        return
    frame = pd.DataFrame({"objective": [objective_label(o.objective) for o in objectives],
                          "score": [o.share for o in objectives], "items": [o.items for o in objectives]})
    bars = alt.Chart(frame).mark_bar(aria=False).encode(
        y=alt.Y("objective:N", sort=None, title=None, axis=alt.Axis(labelLimit=360)),
        x=alt.X("score:Q", title="Score", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")))
    line = alt.Chart(pd.DataFrame({"pass": [PASS_MARK / 1000]})).mark_rule(aria=False, strokeDash=[4, 4]).encode(
        x="pass:Q")
    chart = alt.layer(bars, line).properties(
        height=alt.Step(30), description=f"{title}: a bar per AI-901 objective, with a dashed line at 70% of "
                                         "the points, where this app estimates the 700 pass mark (700 is a scaled "
                                         "score, not 70%). The table below lists the same scores.")
    st.altair_chart(chart)
    rows = "\n".join(f"| {objective_label(o.objective)} | {o.share:.0%} | {o.items} |" for o in objectives)
    st.markdown(f"| Objective | Score | Questions |\n|---|---|---|\n{rows}")
