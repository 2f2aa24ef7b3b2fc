"""Lesson progress through the pages: a section list, ticks per section and learner, continue, next lesson."""

import streamlit as st
from streamlit.testing.v1 import AppTest

from genlab.content import load_lessons
from tests.support.apptest import APP

LESSONS = sorted(load_lessons(), key=lambda lesson: lesson.order)
RESPONSIBLE = "app_pages/lesson_responsible_ai.py"
VISION = "app_pages/lesson_vision.py"
HOME = "app_pages/home.py"


def open_profile(name: str, pin: str = "2468") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120).run()
    next(t for t in at.sidebar.text_input if t.label == "Profile name").set_value(name)
    next(t for t in at.sidebar.text_input if t.label == "PIN or passphrase").set_value(pin)
    next(b for b in at.sidebar.button if b.label == "Start learning").click().run()
    assert not at.exception, at.exception
    return at


def text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def bar(at: AppTest) -> str:
    return "\n".join(p.proto.text for p in at.get("progress"))


def test_reading_a_section_is_kept_per_learner_and_the_start_page_continues_there() -> None:
    lesson = next(le for le in LESSONS if le.slug == "responsible-ai")
    at = open_profile("Ada")
    at.switch_page(RESPONSIBLE).run()
    assert not at.exception, at.exception
    total = len(lesson.sections)
    assert f"0 of {total} sections read" in bar(at)
    assert all(f"[{s.title}](#section-{i + 1})" in text(at) for i, s in enumerate(lesson.sections))  # the list
    at.checkbox(key=f"lesson_read_{at.session_state['learner'].id}_responsible-ai_0").check().run()
    assert f"1 of {total} sections read" in bar(at)
    assert ":material/check: read" in text(at)
    assert "This is the last lesson" in text(at) or any("Next lesson" in p.proto.label
                                                          for p in at.get("page_link"))
    st.cache_resource.clear()  # tomorrow, another device: the same profile
    again = open_profile("Ada")
    again.switch_page(HOME).run()
    assert f"**Continue where you left off**, Ada: lesson {lesson.order}, section 2" in text(again)
    assert f"1 of {total} sections read" in bar(again)
    other = open_profile("Grace", "1357")
    other.switch_page(HOME).run()
    assert "**Start here**, Grace: lesson 1" in text(other) and "1 of" not in bar(other)


def test_every_lesson_but_the_last_links_to_the_next() -> None:
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page(VISION).run()
    assert not at.exception, at.exception
    following = LESSONS[[le.slug for le in LESSONS].index("vision-vs-generation") + 1]
    assert any(p.proto.label == f"Next lesson: {following.order}. {following.title}" for p in at.get("page_link"))
    assert "open a profile in the sidebar to keep track" in text(at)
