"""The live quiz's screens: the host's (on the projector) and each learner's (on a phone).

Everything shown comes from ``genlab.classroom`` views read from the store on every refresh, so
it does not matter which replica serves whom. Refreshes are fragments with ``run_every``: only
the live part of the page reruns, once a second for the host (one tab per room) and every two
seconds for learners (dozens of tabs). Answers and host actions are button callbacks, which run
before the fragment redraws, so the screen always shows the state after the click.
"""

import re
from datetime import timedelta

import pandas as pd
import streamlit as st

from genlab import classroom, identity
from genlab.classroom.qr import qr_png
from genlab.classroom.questions import LIVE_TYPES, LiveQuestion, PublicQuestion, candidates
from genlab.classroom.rooms import MAX_QUESTIONS
from genlab.classroom.scoring import SCREEN_DELAY_S
from genlab.content import OBJECTIVE_NAMES, load_bank
from genlab.settings import Settings
from genlab.store import Store
from ui import cookies, keys, presenter, state

HOST_REFRESH = timedelta(seconds=1)
LEARNER_REFRESH = timedelta(seconds=SCREEN_DELAY_S)  # scoring grants everyone this delay
HOST_KEY = keys.CLASSROOM_HOST  # session flag: this tab passed the passcode check (never the passcode)
PLAYER_QUERY = "player"
PLACES = {1: "1st", 2: "2nd", 3: "3rd"}
CONFIRM_END = keys.CLASSROOM_CONFIRM_END  # the host pressed "End the quiz now" and is asked to confirm
DEFAULT_TICKED = 10  # a class quiz of about ten minutes; the host ticks more or fewer
CORRECT = ":material/check_circle: **correct answer**"  # words and an icon, not colour alone

#: The join code is read from the back of the room: make it huge (scoped to its keyed container).
JOIN_CODE_CSS = """<style>
[data-testid="stMain"] .st-key-classroom-join-code [data-testid="stMetricValue"] p {
  font-size: 4.5rem !important; letter-spacing: 0.12em; line-height: 1.1 !important;
  font-family: "Source Code Pro", monospace; }
</style>"""

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~$:])")


def md(text: str) -> str:
    """Text typed by a person (a nickname, a title) made safe to show inside Markdown."""
    return _MD_SPECIAL.sub(r"\\\1", text)


# --- pieces both screens use ------------------------------------------------------------------


def countdown(remaining_s: float | None, limit_s: int) -> None:
    if remaining_s is None:
        return
    left = int(remaining_s + 0.999)
    text = f"{left} s left" if left > 0 else "Time is up"
    st.progress(min(max(remaining_s / limit_s, 0.0), 1.0), text=text)


def question_card(question: LiveQuestion | PublicQuestion, number: int, total: int,
                  correct_ids: frozenset[str] | tuple[str, ...] = (), choices: bool = True) -> None:
    """The question and its lettered choices; after the reveal the correct ones say so in words."""
    st.subheader(f"Question {number} of {total}", anchor=False)
    if question.context:
        st.markdown(f"*{md(question.context)}*")
    st.markdown(f"**{md(question.stem)}**")
    if question.code:
        st.code(question.code, language="python", wrap_lines=True)
    if not choices:
        return
    if isinstance(question, PublicQuestion):
        choices = [(c.letter, c.id, c.text) for c in question.choices]
    else:
        choices = [(question.letter(c.id), c.id, c.text) for c in question.choices]
    lines = []
    for letter, choice_id, text in choices:
        mark = f" — {CORRECT}" if choice_id in correct_ids else ""
        lines.append(f"- **{letter}** · {md(text)}{mark}")
    st.markdown("\n".join(lines))


def leaderboard_table(standings: tuple[classroom.Standing, ...] | list[classroom.Standing], limit: int) -> None:
    if not standings:
        st.markdown("Nobody has joined, so there is no leaderboard yet.")
        return
    rows = [{"Rank": s.rank, "Nickname": s.nickname, "Points": s.score, "Correct answers": s.correct,
             "Streak": s.streak} for s in standings[:limit]]
    st.table(pd.DataFrame(rows), hide_index=True)


def podium(standings: tuple[classroom.Standing, ...]) -> None:
    top = classroom.podium_places(standings)
    if not top:
        st.markdown("Nobody scored points in this quiz, so there is no podium.")
        return
    columns = st.columns(3)
    for column, standing in zip(columns, top[:3], strict=False):
        with column, st.container(border=True):
            st.markdown(f":material/trophy: **{PLACES[standing.rank]} place**  \n"
                        f"### {md(standing.nickname)}\n{standing.score:,} points")


# --- the host ---------------------------------------------------------------------------------


def host_signed_in(settings: Settings) -> bool:
    """The passcode form until this browser has passed it; the passcode itself is never kept.

    Passing it leaves a signed, expiring host token in a cookie, so a reload of the host page (or a
    second host tab) keeps the role without the passcode. Only this page reads that cookie.
    """
    if st.session_state.get(HOST_KEY):
        return True
    if identity.host_token_valid(settings, cookies.read(identity.HOST_COOKIE)):
        st.session_state[HOST_KEY] = True
        return True
    st.markdown("Enter the instructor passcode to create a room and run it from this screen.")
    with st.form("classroom_sign_in", clear_on_submit=True):
        attempt = st.text_input("Instructor passcode", type="password", max_chars=200)
        submitted = st.form_submit_button("Sign in to host", icon=":material/login:")
    if submitted:
        failures = st.session_state.get(keys.CLASSROOM_FAILURES, 0)
        if failures >= 5:
            st.error("Too many wrong passcodes in this tab. Reload the page and try again.")
        elif classroom.check_passcode(settings, attempt):
            st.session_state[HOST_KEY] = True
            cookies.write(identity.HOST_COOKIE, identity.issue_host_token(settings), identity.HOST_HOURS * 3600)
            st.rerun()
        else:
            st.session_state[keys.CLASSROOM_FAILURES] = failures + 1
            st.error("That passcode is not the one configured for this app. Check it with whoever runs the app.")
    return False


def host_sign_out() -> None:
    """Ends hosting in this browser: the host token is deleted and the passcode is asked again."""
    st.session_state.pop(HOST_KEY, None)
    cookies.clear(identity.HOST_COOKIE)


def create_room_form(store: Store) -> None:
    """Choose the questions (filter the bank by lesson, objective and type, or type ids), preview them,
    set a time limit, and create the room."""
    bank = load_bank()
    lessons = {lesson.slug: lesson.title for lesson in bank.lessons}
    st.header("Create a room", anchor=False)
    source = st.radio("Build the quiz from", ["The question bank, filtered", "Hand-picked question ids"],
                      horizontal=True, key="classroom_source")
    questions: list[LiveQuestion] = []
    title = "Live quiz"
    if source == "The question bank, filtered":
        questions, title = _filtered(bank, lessons)
    else:
        ids = st.text_input("Question ids, in order", placeholder="diff-01, aoai-01", key="classroom_ids",
                            help="Ids are in quiz/questions/*.yaml. Single-choice, multi-select, fill-in and "
                                 "yes/no items can be asked live.")
        if ids.strip():
            try:
                questions = classroom.by_ids(bank, ids)
            except classroom.ClassroomError as exc:
                st.error(str(exc))
    title = st.text_input("Title on the screen", value=title, max_chars=120, key=f"classroom_title_{title}")
    limit = st.segmented_control("Seconds per question", classroom.TIME_LIMITS_S, key="classroom_limit",
                                 default=classroom.DEFAULT_TIME_LIMIT_S, required=True)
    if questions:
        _preview(questions, int(limit or classroom.DEFAULT_TIME_LIMIT_S))
    if st.button(f"Create room with {len(questions)} question{'s' if len(questions) != 1 else ''}",
                 icon=":material/add:", disabled=not questions, key="classroom_create", type="primary"):
        with store.session() as session:
            code = classroom.create_room(session, questions, title, int(limit or classroom.DEFAULT_TIME_LIMIT_S))
        st.query_params["room"] = code
        st.rerun()
    with store.session() as session:
        recent = classroom.recent_rooms(session)
    if recent:
        st.header("Recent rooms", anchor=False)
        for info in recent:
            st.button(f"{info.code} · {info.title} ({info.phase})", key=f"classroom_open_{info.code}",
                      icon=":material/meeting_room:", on_click=_open_room, args=(info.code,))


def _filtered(bank, lessons: dict[str, str]) -> tuple[list[LiveQuestion], str]:
    """Filters, the matching questions with a tick each, and how many to ask."""
    left, middle, right = st.columns(3)
    chosen_lessons = left.multiselect("Lessons", list(lessons), format_func=lessons.get, key="classroom_lessons",
                                      placeholder="All lessons")
    chosen_objectives = middle.multiselect("Objectives", list(OBJECTIVE_NAMES), key="classroom_objectives",
                                           format_func=lambda o: f"{o} {OBJECTIVE_NAMES[o]}",
                                           placeholder="All objectives")
    chosen_types = right.multiselect("Question types", list(LIVE_TYPES), format_func=LIVE_TYPES.get,
                                     key="classroom_types", placeholder="All types")
    found = candidates(bank, chosen_lessons, chosen_objectives, chosen_types)
    if not found:
        st.warning("No question in the bank matches all of these filters. Remove a filter to see more.",
                   icon=":material/filter_alt_off:")
        return [], "Live quiz"
    table = pd.DataFrame([{"Ask": n < DEFAULT_TICKED, "Id": c.question.id, "Lesson": lessons.get(c.lesson, c.lesson),
                           "Objective": c.question.objective, "Type": LIVE_TYPES[c.type],
                           "Question": c.question.stem} for n, c in enumerate(found)])
    first = "" if len(found) <= DEFAULT_TICKED else f" The first {DEFAULT_TICKED} are ticked."
    st.markdown(f"**{len(found)} question{'s' if len(found) != 1 else ''} match.**{first} Tick the ones to ask; "
                "they are asked in this order.")
    edited = st.data_editor(table, hide_index=True, disabled=["Id", "Lesson", "Objective", "Type", "Question"],
                            key=f"classroom_pick_{'-'.join(chosen_lessons + chosen_objectives + chosen_types)}",
                            column_config={"Ask": st.column_config.CheckboxColumn("Ask", width="small"),
                                           "Question": st.column_config.TextColumn("Question", width="large")})
    ticked = [c.question for c, ask in zip(found, edited["Ask"], strict=True) if ask]
    if len(ticked) > MAX_QUESTIONS:
        st.warning(f"{len(ticked)} questions are ticked; a live quiz asks at most {MAX_QUESTIONS}, so the "
                   f"first {MAX_QUESTIONS} are used.", icon=":material/info:")
        ticked = ticked[:MAX_QUESTIONS]
    names = [lessons[s] for s in chosen_lessons] or [f"AI-901 {o}" for o in chosen_objectives]
    return ticked, ("Live quiz: " + ", ".join(names))[:120] if names else "Live quiz"


def _preview(questions: list[LiveQuestion], limit_s: int) -> None:
    """What the projector will show, question by question, with the answers (for the host only)."""
    minutes = len(questions) * (limit_s + 20) / 60  # the question's time, then about 20 s for the reveal
    with st.expander(f"Preview: {len(questions)} question{'s' if len(questions) != 1 else ''}, about "
                     f"{max(1, round(minutes))} minutes with the reveals"):
        for n, question in enumerate(questions, 1):
            question_card(question, n, len(questions), question.correct_ids)


def _open_room(code: str) -> None:
    st.query_params["room"] = code


@st.cache_data(show_spinner=False, max_entries=64)
def _qr(url: str) -> bytes:
    return qr_png(url)


def _act(store: Store, action: str, code: str, expected: int) -> None:
    """A host button's callback: moves the game (a repeated click moves it once)."""
    with store.session() as session:
        if action == "start":
            classroom.start(session, code)
        elif action == "reveal":
            classroom.reveal(session, code, expected)
        elif action == "next":
            classroom.next_question(session, code, expected)
        elif action == "finish":
            classroom.finish(session, code)
        elif action == "pause":
            classroom.pause(session, code, expected)
        elif action == "resume":
            classroom.resume(session, code, expected)
        elif action == "extend":
            classroom.extend(session, code, expected)
        elif action == "restart":
            classroom.restart(session, code, expected)
    st.session_state.pop(CONFIRM_END, None)


def _csv(store: Store, code: str):
    def build() -> bytes:
        from genlab.classroom.export import export_csv

        with store.session() as session:
            return export_csv(session, code)

    return build


def host_room(store: Store, code: str) -> None:
    """The host's live screen for room ``code``: lobby, question, reveal, podium."""
    try:
        code = classroom.clean_code(code)
        with store.session() as session:
            view = classroom.host_view(session, code)
    except classroom.ClassroomError as exc:
        st.error(str(exc))
        if st.button("Create another room", key="classroom_leave_missing"):
            st.query_params.pop("room", None)
            st.rerun()
        return
    st.markdown(f"**{md(view.title)}** · room **{code}**")
    address = classroom.join_address(state.settings(), st.context.url, code)

    @st.fragment(run_every=HOST_REFRESH)
    def live() -> None:
        with store.session() as session:
            classroom.heartbeat(session, code)  # while this screen refreshes, the question's clock runs
            v = classroom.host_view(session, code)
        _host_phase(store, v, address)

    live()
    with presenter.learner_only("classroom-host-tools"):
        st.divider()
        if st.button("Leave this room", key="classroom_leave", icon=":material/logout:",
                     help="The room keeps running; you can come back to it from Recent rooms."):
            st.query_params.pop("room", None)
            st.rerun()


def _host_phase(store: Store, v: classroom.HostView, address: classroom.JoinAddress) -> None:
    url = address.url
    if v.phase == "lobby":
        left, right = st.columns([3, 2], vertical_alignment="center")
        with left, st.container(key="classroom-join-code"):
            st.html(JOIN_CODE_CSS)
            st.metric("Join code", v.code)
            st.markdown(f"Open **{md(url.split('?')[0])}** and type the code, or scan the QR code.  \n"
                        f"Direct link: [{md(url)}]({url})")
            st.markdown(f"**{len(v.players)}** joined: " + (", ".join(md(p) for p in v.players) or "nobody yet"))
            # Beside the code, not under the QR code: on a projector it stays on the first screen.
            st.button("Start the quiz", icon=":material/play_arrow:", key="classroom_start", type="primary",
                      disabled=not v.players, on_click=_act, args=(store, "start", v.code, -1))
        with right:
            st.image(_qr(url), width=280, alt=f"QR code that opens the join page for room {v.code}")
        if address.warning:
            st.warning(address.warning, icon=":material/wifi_off:")
    elif v.phase == "question" and v.question is not None:
        # The host's buttons first: on a projector they stay on the first screen, however long the question.
        _question_controls(store, v)
        question_card(v.question, v.index + 1, v.total)
        countdown(v.remaining_s, v.time_limit_s)
        if v.paused == "host":
            status = "Paused: the clock stands still (answers are still taken)."
        elif v.everyone_answered:
            status = "Everyone has answered."
        else:
            status = "Time is up." if v.time_up else ""
        st.metric("Answers received", f"{v.answered} of {len(v.players)}")
        if status:
            st.markdown(f"**{status}** Reveal the answer when the room is ready.")
    elif v.phase == "reveal" and v.question is not None:
        label = "Show the podium" if v.is_last else "Next question"
        st.button(label, icon=":material/skip_next:", key=f"classroom_next_{v.index}", type="primary",
                  on_click=_act, args=(store, "next", v.code, v.index))
        question_card(v.question, v.index + 1, v.total, v.question.correct_ids)
        _results(v)
    elif v.phase == "podium":
        st.subheader("Podium", anchor=False)
        podium(v.leaderboard)
        st.subheader("Final leaderboard", anchor=False)
        leaderboard_table(v.leaderboard, limit=len(v.leaderboard))
    if v.phase != "podium" and not (v.phase == "reveal" and v.is_last):
        _end_early(store, v)
    if v.phase in ("reveal", "podium"):
        st.download_button("Download results (CSV)", data=_csv(store, v.code), file_name=f"live-quiz-{v.code}.csv",
                           mime="text/csv", icon=":material/download:", key="classroom_csv", on_click="ignore")


def _question_controls(store: Store, v: classroom.HostView) -> None:
    """Reveal first (the host's main button), then the clock: pause or resume, more time, ask again."""
    columns = st.columns(4)
    columns[0].button("Reveal answer", icon=":material/visibility:", key=f"classroom_reveal_{v.index}",
                      type="primary", on_click=_act, args=(store, "reveal", v.code, v.index))
    if v.paused == "host":
        columns[1].button("Resume", icon=":material/play_arrow:", key=f"classroom_resume_{v.index}",
                          on_click=_act, args=(store, "resume", v.code, v.index))
    else:
        columns[1].button("Pause", icon=":material/pause:", key=f"classroom_pause_{v.index}", disabled=v.time_up,
                          on_click=_act, args=(store, "pause", v.code, v.index))
    columns[2].button(f"+{classroom.EXTEND_S} s", icon=":material/more_time:", key=f"classroom_extend_{v.index}",
                      help="More time for this question; after time is up it opens again.",
                      on_click=_act, args=(store, "extend", v.code, v.index))
    columns[3].button("Ask again", icon=":material/replay:", key=f"classroom_restart_{v.index}",
                      help="Starts this question over with the full time; its answers so far are dropped.",
                      on_click=_act, args=(store, "restart", v.code, v.index))


def _end_early(store: Store, v: classroom.HostView) -> None:
    """"End the quiz now" asks first, and says what ending does on this screen."""
    if not st.session_state.get(CONFIRM_END):
        st.button("End the quiz now", key="classroom_finish", icon=":material/stop:",
                  on_click=lambda: st.session_state.update({CONFIRM_END: True}))
        return
    left = v.total - v.index - 1 if v.phase in ("question", "reveal") else v.total
    what = {"lobby": "The quiz ends before its first question and the room shows that nobody scored.",
            "question": "This question's answer is revealed and scored first; then the podium.",
            "reveal": "The podium comes next."}[v.phase]
    skipped = f" {left} question{'s' if left != 1 else ''} will not be asked." if left > 0 else ""
    with st.container(border=True):
        st.markdown(f"**End the quiz now?** {what}{skipped}")
        yes, no = st.columns(2)
        yes.button("Yes, end the quiz", key="classroom_finish_yes", icon=":material/stop:", type="primary",
                   on_click=_act, args=(store, "finish", v.code, v.index))
        no.button("Keep playing", key="classroom_finish_no", icon=":material/undo:",
                  on_click=lambda: st.session_state.pop(CONFIRM_END, None))


def _results(v: classroom.HostView) -> None:
    """After the reveal: how the room answered, then the leaderboard and the explanations.

    Two different counts, each named: "Correct" is out of everyone in the room (not answering is not
    knowing), each choice's bar is out of the answers given.
    """
    players = len(v.players)
    columns = st.columns(3)
    columns[0].metric("Answered", f"{v.answered} of {players}")
    columns[1].metric("Correct", f"{v.correct_count} of {players}",
                      help="Right answers out of everyone in the room" +
                           ("" if v.percent_correct is None else f" ({v.percent_correct:.0f}%)."))
    columns[2].metric("Average time", "–" if v.average_s is None else f"{v.average_s:.1f} s")
    total = max(v.answered, 1)
    for c in v.distribution:
        mark = f" — {CORRECT}" if c.correct else ""
        st.progress(c.count / total, text=f"**{c.letter}** · chosen in {c.count} of {v.answered} answers "
                                          f"({100 * c.count / total:.0f}%){mark}")
    st.subheader("Leaderboard", anchor=False)
    leaderboard_table(v.leaderboard, limit=5)
    if v.question is not None:
        with st.expander("Why each answer is right or wrong"):
            st.markdown("\n".join(f"- **{v.question.letter(c.id)}**: {md(c.why)}" for c in v.question.choices))


# --- the learner ------------------------------------------------------------------------------


def join_form(store: Store, code: str) -> None:
    st.markdown("Type the code on the projector screen and a nickname for the leaderboard.")
    with st.form("classroom_join"):
        typed_code = st.text_input("Join code", value=code, max_chars=8, placeholder="K7MW3X")
        nickname = st.text_input("Nickname", max_chars=20, placeholder="e.g. Ada")
        submitted = st.form_submit_button("Join", icon=":material/login:")
    if submitted:
        try:
            with store.session() as session:
                joined = classroom.join(session, typed_code, nickname)
        except classroom.ClassroomError as exc:
            st.error(str(exc))
            return
        st.session_state[keys.CLASSROOM_PLAYER] = joined
        st.query_params.update({"room": joined.code, PLAYER_QUERY: joined.token})
        st.rerun()


def current_player(store: Store) -> classroom.Joined | None:
    """This tab's player: from the session, or from the link after a reload or reconnect."""
    code, token = st.query_params.get("room", ""), st.query_params.get(PLAYER_QUERY, "")
    joined = st.session_state.get(keys.CLASSROOM_PLAYER)
    try:
        wanted = classroom.clean_code(code) if code else None
    except classroom.ClassroomError:  # a mangled link: the join form shows the code and says what is wrong
        wanted = None
    if joined is not None and (wanted is None or wanted == joined.code):
        return joined
    if code and token:
        try:
            with store.session() as session:
                joined = classroom.rejoin(session, code, token)
        except classroom.ClassroomError:
            joined = None
        if joined is not None:
            st.session_state[keys.CLASSROOM_PLAYER] = joined
            return joined
        st.warning("That link is not for a player in this quiz (it may be from another device). "
                   "Join with your nickname.")
        st.query_params.pop(PLAYER_QUERY, None)
    return None


def _answer(store: Store, joined: classroom.Joined, index: int, choice_ids: list[str]) -> None:
    with store.session() as session:
        result = classroom.submit(session, joined.code, joined.token, choice_ids)
    st.session_state[keys.classroom_result(index)] = result


def _answer_multi(store: Store, joined: classroom.Joined, index: int, ids: list[str]) -> None:
    chosen = [i for i in ids if st.session_state.get(keys.classroom_pick(index, i))]
    _answer(store, joined, index, chosen)


def learner_live(store: Store, joined: classroom.Joined) -> None:
    st.markdown(f"Playing as **{md(joined.nickname)}** in room **{joined.code}**.")

    @st.fragment(run_every=LEARNER_REFRESH)
    def live() -> None:
        try:
            with store.session() as session:
                v = classroom.learner_view(session, joined.code, joined.token)
        except classroom.ClassroomError as exc:
            st.error(str(exc))
            return
        _learner_phase(store, joined, v)

    live()
    if st.button("Leave this quiz", key="classroom_leave_player", icon=":material/logout:",
                 help="Your points stay on the leaderboard."):
        st.session_state.pop(keys.CLASSROOM_PLAYER, None)
        st.query_params.pop(PLAYER_QUERY, None)
        st.rerun()


def _learner_phase(store: Store, joined: classroom.Joined, v: classroom.LearnerView) -> None:
    if v.phase == "lobby":
        st.success(f"You're in, {md(v.nickname)}! Waiting for the host to start the quiz.", icon=":material/check:")
        st.markdown(f"{v.players} player(s) have joined so far.")
        return
    if v.phase == "podium":
        st.subheader("Final results", anchor=False)
        podium(v.podium)
        place = f"You finished in place {v.rank}" if v.rank else "You finished"
        st.markdown(f"**{place} with {v.score:,} points.** Thanks for playing!")
        return
    assert v.question is not None
    result = st.session_state.get(keys.classroom_result(v.index))
    if v.phase == "question":
        question_card(v.question, v.index + 1, v.total, choices=v.my_choices is not None)
        countdown(v.remaining_s, v.time_limit_s)
        if v.paused and v.my_choices is None and (v.remaining_s or 0) > 0:
            st.info("The clock is paused: " + ("the host stopped it." if v.paused == "host" else
                                                "waiting for the host's screen to come back.") +
                    " Your answer still counts.", icon=":material/pause_circle:")
        if v.my_choices is not None:
            letters = ", ".join(c.letter for c in v.question.choices if c.id in v.my_choices)
            st.info(f"Answer {letters} received. Watch the screen for the reveal.", icon=":material/done_all:")
        elif result is not None and not result.counted and result.status != "invalid":
            st.warning(result.message, icon=":material/schedule:")
        elif v.remaining_s is not None and v.remaining_s <= 0:
            st.warning("Time is up. Waiting for the host to reveal the answer.", icon=":material/schedule:")
        elif v.question.select == 1:
            for choice in v.question.choices:
                st.button(f"{choice.letter} · {choice.text}", key=f"classroom_choice_{v.index}_{choice.id}",
                          width="stretch", on_click=_answer, args=(store, joined, v.index, [choice.id]))
        else:
            word = {2: "TWO", 3: "THREE"}[v.question.select]
            st.markdown(f"Select **{word}** answers, then send.")
            for choice in v.question.choices:
                st.checkbox(f"{choice.letter} · {choice.text}", key=keys.classroom_pick(v.index, choice.id))
            st.button("Send answer", key=f"classroom_send_{v.index}",
                      on_click=_answer_multi, args=(store, joined, v.index, [c.id for c in v.question.choices]))
            if result is not None and result.status == "invalid":
                st.warning(result.message)
        st.caption(f"Your score so far: {v.score:,} points.")
        return
    # Reveal: this learner's result, the answer, and why.
    question_card(v.question, v.index + 1, v.total, choices=False)
    answer = "; ".join(f"{c.letter} · {c.text}" for c in v.question.choices if c.id in (v.correct_ids or ()))
    if v.my_choices is None:
        st.warning(f"No answer from you on this one, so no points. The answer: {md(answer)}.",
                   icon=":material/schedule:")
    elif v.my_correct:
        streak = f" {v.streak} in a row!" if v.streak > 1 else ""
        st.success(f"Correct: +{v.my_points:,} points.{streak} The answer: {md(answer)}.",
                   icon=":material/check_circle:")
    else:
        picked = ", ".join(c.letter for c in v.question.choices if c.id in v.my_choices)
        st.error(f"Not quite: you picked {picked}. The answer: {md(answer)}.", icon=":material/cancel:")
    st.markdown("\n".join(f"- {md(line)}" for line in v.feedback))
    st.markdown(f"**Your score: {v.score:,} points, place {v.rank} of {v.players}.**")

