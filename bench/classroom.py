"""A live quiz with many learners against 2 replicas behind nginx, as one JSON object.

    .venv/bin/python -m bench.classroom --learners 100 --window 10

What it does: starts 2 Streamlit replicas + nginx on loopback (deploy/replicas.py) on a fresh
PostgreSQL schema, then drives them with real clients: each learner and the host is a
**Streamlit websocket protocol client** (the messages the browser's JavaScript sends and receives
on /_stcore/stream: rerun requests with widget states, deltas back, fragment auto-reruns), so every
join, refresh and answer runs the real pages on the real servers; only the drawing of pixels is
skipped. Nothing is written to the database directly. 100 Chromium tabs do not fit a 2-core box;
these clients do, and the server-side work per learner is the same.

Timeline: the host signs in with the passcode and creates a one-question room; learners connect
and join spread over ``--window`` seconds; everyone waits ``--hold`` seconds in the lobby; the host
starts the question; each learner answers at a random moment within the next ``--window`` seconds
(answering as soon as their screen shows the question, if that comes later); the host reveals.

Measured (seconds unless named otherwise):
* ``all_answers_seen_s``: from the host's start click until the host's own screen shows every
  answer (its fragment refreshes once a second); ``after_last_answer_s``: the part after the last
  learner's tap.
* ``p50_answer_s`` / ``p95_answer_s``: a learner's tap until their screen confirms the answer.
* ``join_p50_s`` / ``join_p95_s``: "Join" tap until "You're in"; ``reveal_seen_p95_s``: host reveal
  until learners' screens show their result (learners refresh every 2 s).
* ``rss_mib_per_replica`` (peak, sampled every 0.5 s) and ``db_connections`` (peak, from
  pg_stat_activity, the replicas' application_name) while the learners are connected.
* Sizing: ``cpu_s_per_learner_minute`` (replica CPU while everyone waits in the lobby for
  ``--hold`` seconds, per connected learner per minute), ``cpu_s_per_join`` (the join phase's CPU
  per join) and ``cpu_s_in_answer_phase_per_answer``; ``replica_cpu_wait_s``: how long the
  replicas' threads were ready to run but waited for a CPU (``/proc/<pid>/task/*/schedstat``: on a
  shared box, that is queueing, not the app's work); ``client_cpu_s``: what these clients used.
* Database: ``db_round_trips_per_answer`` (an answer's own round trips: ping, BEGIN, statements,
  COMMIT) and, per phase, each classroom operation's calls, round trips and wall time, read from
  the replicas' counters (``genlab/store/roundtrips.py``, ``GENLAB_DB_STATS_DIR``).

``--url`` targets replicas that are already running (nothing started; RSS is then not measured).
"""

import argparse
import asyncio
import contextlib
import json
import os
import platform
import random
import re
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import websockets
from sqlalchemy import create_engine, text
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench.machine import describe
from bench.support import free_port

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = os.environ.get("GENLAB_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
APP_NAME = "genlab-bench-replica"
PASSCODE = "bench-passcode"
QUESTION = "diff-01"  # single choice; the correct option is D


class BenchError(RuntimeError):
    pass


# --- a Streamlit client that speaks the websocket protocol ------------------------------------


class Tab:
    """One browser tab: a session on one replica, its current elements, widget values and timers."""

    def __init__(self, base: str, page: str, query: str = "", name: str = "") -> None:
        self.base, self.page, self.query, self.name = base, page, query, name
        self.ws = None
        self.page_script_hash = ""
        self.run_id = ""
        self.run_fragments: tuple[str, ...] = ()
        self.running = False
        self.elements: dict[tuple[int, ...], tuple[object, str, str]] = {}  # path -> (Element, run id, fragment)
        self.values: dict[str, dict] = {}  # widget id -> WidgetState fields
        self.timers: dict[str, asyncio.Task] = {}
        self.finished = asyncio.Event()
        self.reader: asyncio.Task | None = None
        self.messages = 0
        self.reruns = 0
        self.replica = "not connected"

    @property
    def url(self) -> str:
        return f"{self.base}/{self.page}" + (f"?{self.query}" if self.query else "")

    async def open(self) -> None:
        ws_url = self.base.replace("http", "ws", 1) + "/_stcore/stream"
        self.ws = await websockets.connect(ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=30,
                                           additional_headers={"Origin": self.base})
        self.replica = self.ws.response.headers.get("X-Genlab-Upstream", "direct")  # which replica nginx chose
        self.reader = asyncio.create_task(self._read())
        await self.rerun(page_name=self.page)

    async def close(self) -> None:
        for task in self.timers.values():
            task.cancel()
        if self.reader:
            self.reader.cancel()
        if self.ws is not None:
            await self.ws.close()

    async def _read(self) -> None:
        async for data in self.ws:
            msg = ForwardMsg()
            msg.ParseFromString(data)
            self.messages += 1
            self._handle(msg)

    def _handle(self, msg: ForwardMsg) -> None:
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self.page_script_hash = msg.new_session.page_script_hash
            self.run_id = msg.metadata.run.script_run_id
            self.run_fragments = tuple(msg.metadata.run.fragment_ids)
            self.running = True
            if not self.run_fragments:  # a full run re-registers every fragment's timer
                for task in self.timers.values():
                    task.cancel()
                self.timers.clear()
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            self.elements[tuple(msg.metadata.delta_path)] = (msg.delta.new_element, self.run_id,
                                                              msg.delta.fragment_id)
        elif kind == "navigation":  # with st.navigation, this names the page actually shown
            self.page_script_hash = msg.navigation.page_script_hash
        elif kind == "page_info_changed":
            self.query = msg.page_info_changed.query_string
        elif kind == "auto_rerun":
            fragment = msg.auto_rerun.fragment_id
            if fragment not in self.timers:
                self.timers[fragment] = asyncio.create_task(self._auto(msg.auto_rerun.interval, fragment))
        elif kind == "script_finished":
            stale = [p for p, (_, run, frag) in self.elements.items() if run != self.run_id
                     and (not self.run_fragments or frag in self.run_fragments)]
            for path in stale:
                del self.elements[path]
            self.running = False
            self.finished.set()

    async def _auto(self, interval: float, fragment: str) -> None:
        while True:
            await asyncio.sleep(interval)
            if not self.running:
                await self.rerun(fragment_id=fragment, auto=True)

    async def rerun(self, triggers: tuple[str, ...] = (), fragment_id: str = "", auto: bool = False,
                    page_name: str = "") -> None:
        state = ClientState(query_string=self.query, page_script_hash=self.page_script_hash, page_name=page_name,
                            fragment_id=fragment_id, is_auto_rerun=auto)
        state.context_info.url = self.url
        state.context_info.timezone = "UTC"
        state.context_info.locale = "en-US"
        for widget_id, fields in self.values.items():
            widget = state.widget_states.widgets.add()
            widget.id = widget_id
            for key, value in fields.items():
                setattr(widget, key, value)
        for widget_id in triggers:
            widget = state.widget_states.widgets.add()
            widget.id = widget_id
            widget.trigger_value = True
        msg = BackMsg()
        msg.rerun_script.CopyFrom(state)
        self.reruns += 1
        self.running = True
        self.finished.clear()
        await self.ws.send(msg.SerializeToString())

    # --- reading the screen ---

    def widgets(self, kind: str) -> list[tuple[object, str]]:
        out = []
        for _path, (element, _run, fragment) in sorted(self.elements.items()):
            if element.WhichOneof("type") == kind:
                out.append((getattr(element, kind), fragment))
        return out

    def widget(self, kind: str, label: str | re.Pattern) -> tuple[object, str] | None:
        for proto, fragment in self.widgets(kind):
            if (label.search(proto.label) if isinstance(label, re.Pattern) else proto.label == label):
                return proto, fragment
        return None

    def text(self) -> str:
        parts = []
        for element, _run, _frag in self.elements.values():
            kind = element.WhichOneof("type")
            if kind == "markdown":
                parts.append(element.markdown.body)
            elif kind == "alert":
                parts.append(element.alert.body)
            elif kind == "metric":
                parts.append(f"{element.metric.label}: {element.metric.body}")
            elif kind == "heading":
                parts.append(element.heading.body)
            elif kind == "progress":
                parts.append(element.progress.text)
        return "\n".join(parts)

    async def wait_for(self, check: Callable[["Tab"], object], timeout: float, what: str) -> object:
        deadline = time.monotonic() + timeout
        while True:
            if not self.running:
                found = check(self)
                if found:
                    return found
            left = deadline - time.monotonic()
            if left <= 0:
                raise BenchError(f"{self.name}: timed out waiting for {what}; screen says: {self.text()[-300:]!r}")
            self.finished.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.finished.wait(), min(left, 1.0))

    # --- acting ---

    def set_text(self, label: str, value: str) -> None:
        proto, _ = self.widget("text_input", label) or (None, None)
        if proto is None:
            raise BenchError(f"{self.name}: no text input labelled {label!r}")
        self.values[proto.id] = {"string_value": value}

    async def click(self, label: str | re.Pattern) -> None:
        found = self.widget("button", label)
        if found is None:
            raise BenchError(f"{self.name}: no button labelled {label!r}")
        proto, fragment = found
        await self.rerun(triggers=(proto.id,), fragment_id=fragment)


# --- the scenario -----------------------------------------------------------------------------


def quantile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(int(q * len(ordered)), len(ordered) - 1)], 3)


async def host_creates_room(base: str) -> Tab:
    host = Tab(base, "classroom-host", name="host")
    await host.open()
    await host.wait_for(lambda t: t.widget("text_input", "Instructor passcode"), 30, "the passcode form")
    host.set_text("Instructor passcode", PASSCODE)
    await host.click("Sign in to host")
    radio = await host.wait_for(lambda t: t.widget("radio", "Build the quiz from"), 30, "the room form")
    options = list(radio[0].options)
    host.values[radio[0].id] = {"string_value": next(o for o in options if "ids" in o)}
    await host.rerun()
    await host.wait_for(lambda t: t.widget("text_input", "Question ids, in order"), 30, "the ids field")
    host.set_text("Question ids, in order", QUESTION)
    await host.rerun()
    create = re.compile(r"^Create room")  # "Create room with 1 question"
    await host.wait_for(lambda t: (b := t.widget("button", create)) and not b[0].disabled, 30, "Create room")
    await host.click(create)
    await host.wait_for(lambda t: "room=" in t.query and t.widget("button", "Start the quiz"), 30, "the lobby")
    return host


async def learner(base: str, code: str, index: int, join_at: float, answer_window: float, t0: float,
                  settled: asyncio.Semaphore, started: asyncio.Event, start_time: list[float], out: dict) -> None:
    await asyncio.sleep(max(join_at - (time.monotonic() - t0), 0))
    tab = Tab(base, "classroom", query=f"room={code}", name=f"learner {index}")
    out["opened_at"] = time.monotonic() - t0
    try:
        await tab.open()
        await tab.wait_for(lambda t: t.widget("text_input", "Nickname"), 60, "the join form")
        tab.set_text("Nickname", f"Learner {index:03d}")
        clicked = time.monotonic()
        await tab.click("Join")
        await tab.wait_for(lambda t: "You're in" in t.text(), 60, "the lobby")
        out["join_s"] = time.monotonic() - clicked
        settled.release()
        await started.wait()
        answer_at = start_time[0] + random.uniform(0.5, answer_window)
        correct = random.random() < 0.6
        pattern = re.compile(r"^D · ") if correct else re.compile(r"^[ABC] · ")
        await tab.wait_for(lambda t: t.widget("button", pattern), 60, "the question")
        await asyncio.sleep(max(answer_at - time.monotonic(), 0))
        tapped = time.monotonic()
        await tab.click(pattern)
        outcome = re.compile(r"Answer [A-D, ]+ received|already received|not counted|question is closed|"
                             r"Time is up\. Waiting")
        screen = await tab.wait_for(lambda t: outcome.search(t.text()), 60, "the answer confirmation")
        if "received" in screen.group(0):
            out.update(answer_s=time.monotonic() - tapped, tapped=tapped, correct=correct)
        else:
            out["refused"] = screen.group(0)
        await tab.wait_for(lambda t: "Your score:" in t.text(), 90, "the reveal")
        out["revealed_at"] = time.monotonic()
    except Exception as exc:  # reported in the JSON, not raised: one slow client must not hide the rest
        out["error"] = f"{type(exc).__name__}: {exc}"[:300]
        if "join_s" not in out:
            settled.release()
    finally:
        out["tab"] = tab


def cpu_wait_s(pid: int) -> float:
    """Seconds the process's threads were ready to run but waited for a CPU (the box is shared)."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError, IndexError, ValueError):
            total += int((task / "schedstat").read_text().split()[1])
    return total / 1e9


def cpu_s(pid: int) -> float:
    """User + system CPU seconds the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def sample(pids: list[int], db_url: str, peaks: dict, stop: asyncio.Event) -> None:
    engine = create_engine(db_url.split("?")[0])
    try:
        while not stop.is_set():
            for pid in pids:
                with contextlib.suppress(OSError):
                    peaks["rss"][pid] = max(peaks["rss"].get(pid, 0.0), rss_mib(pid))
            with engine.connect() as c:
                n = c.execute(text("select count(*) from pg_stat_activity where application_name = :a"),
                              {"a": APP_NAME}).scalar()
            peaks["db"] = max(peaks["db"], n or 0)
            await asyncio.sleep(0.5)
    finally:
        engine.dispose()


def db_stats(folder: Path | None) -> dict:
    """The replicas' round-trip counters (genlab/store/roundtrips.py), summed over replicas."""
    total: dict = {"round_trips": 0, "operations": {}}
    for file in sorted(folder.glob("*.json")) if folder else ():
        with contextlib.suppress(OSError, ValueError):
            data = json.loads(file.read_text())
            total["round_trips"] += data["round_trips"]
            for name, op in data["operations"].items():
                mine = total["operations"].setdefault(name, {"calls": 0, "round_trips": 0, "seconds": 0.0})
                for key in mine:
                    mine[key] += op[key]
    return total


def stats_delta(after: dict, before: dict) -> dict:
    ops = {}
    for name, op in after["operations"].items():
        old = before["operations"].get(name, {"calls": 0, "round_trips": 0, "seconds": 0.0})
        calls = op["calls"] - old["calls"]
        if calls:
            trips = op["round_trips"] - old["round_trips"]
            ops[name] = {"calls": calls, "round_trips_per_call": round(trips / calls, 2),
                         "ms_per_call": round(1000 * (op["seconds"] - old["seconds"]) / calls, 2)}
    return {"round_trips": after["round_trips"] - before["round_trips"], "operations": ops}


async def scenario(base: str, learners: int, window: float, pids: list[int], db_url: str, state: dict,
                   stats_dir: Path | None = None, hold: float = 10.0) -> None:
    """Run the class; everything measured goes into ``state`` as it happens (so a timeout still reports)."""
    random.seed(901)
    state.update(stage="host creates the room", learners=learners, peaks={"rss": {}, "db": 0}, pids=pids,
                 cpu_before={pid: cpu_s(pid) for pid in pids}, results=[{} for _ in range(learners)],
                 stats_dir=stats_dir, client_cpu_before=time.process_time())
    stop = asyncio.Event()
    sampler = asyncio.create_task(sample(pids, db_url, state["peaks"], stop))
    host = state["host"] = await host_creates_room(base)
    code = state["code"] = re.search(r"room=([A-Z0-9]+)", host.query).group(1)
    started, start_time, settled = asyncio.Event(), [0.0], asyncio.Semaphore(0)
    results = state["results"]
    await asyncio.sleep(1.0)  # the counters are written twice a second
    state.update(stage="learners join", t0=time.monotonic(), stats_before=db_stats(stats_dir),
                 cpu_at_join={pid: cpu_s(pid) for pid in pids}, wait_at_join={p: cpu_wait_s(p) for p in pids})
    tasks = [asyncio.create_task(learner(base, code, i, random.uniform(0, window), window, state["t0"], settled,
                                         started, start_time, results[i])) for i in range(learners)]
    for _ in range(learners):  # every learner has joined, or given up trying
        await settled.acquire()
    joined = state["joined"] = sum(1 for r in results if "join_s" in r)
    joined_pattern = re.compile(rf"\*\*{joined}\*\* joined")
    await host.wait_for(lambda t: joined_pattern.search(t.text()), 30, f"{joined} joined on the host screen")
    state["cpu_joined"] = sum(cpu_s(pid) - state["cpu_at_join"][pid] for pid in pids)
    # Everyone sits in the lobby for ``hold`` seconds: the steady cost of connected learners.
    hold_cpu, hold_started = sum(cpu_s(pid) for pid in pids), time.monotonic()
    await asyncio.sleep(hold)
    state["hold"] = {"cpu_s": sum(cpu_s(pid) for pid in pids) - hold_cpu, "s": time.monotonic() - hold_started}
    state["stats_joined"] = db_stats(stats_dir)
    state["cpu_answer_phase"] = sum(cpu_s(pid) for pid in pids)
    state["stage"] = "learners answer"
    await host.click("Start the quiz")
    start_time[0] = state["started_at"] = time.monotonic()
    started.set()
    # Every answer on the host's screen, or the question's time is up (then: how many made it).
    await host.wait_for(lambda t: f"Answers received: {joined} of" in t.text() or "Time is up" in t.text(),
                        window + 60, "every answer on the host screen")
    state["seen_at"] = time.monotonic()
    state["seen"] = int(re.search(r"Answers received: (\d+) of", host.text()).group(1))
    state["cpu_answer_phase"] = sum(cpu_s(pid) for pid in pids) - state["cpu_answer_phase"]
    state["answer_phase_s"] = time.monotonic() - start_time[0]
    await asyncio.sleep(1.0)
    state["stats_answered"] = db_stats(stats_dir)
    state.update(stage="reveal", revealed_at=time.monotonic())
    await host.click(re.compile("^Reveal answer"))
    await asyncio.wait_for(asyncio.gather(*tasks), 120)
    state["stage"] = "done"
    state["ended_at"] = time.monotonic()
    stop.set()
    await sampler
    state["cpu"] = [round(cpu_s(pid) - state["cpu_before"][pid], 1) for pid in pids]
    state["cpu_learners"] = sum(cpu_s(pid) - state["cpu_at_join"][pid] for pid in pids)
    state["cpu_wait"] = [round(cpu_wait_s(p) - state["wait_at_join"][p], 1) for p in pids]
    state["client_cpu_s"] = time.process_time() - state["client_cpu_before"]
    for r in results:
        if "tab" in r:
            await r["tab"].close()
    await host.close()


def summarize(state: dict) -> dict:
    results = state.get("results", [])
    answers = [r["answer_s"] for r in results if "answer_s" in r]
    joins = [r["join_s"] for r in results if "join_s" in r]
    reveals = [r["revealed_at"] - state["revealed_at"] for r in results if "revealed_at" in r]
    per_replica: dict[str, int] = {}
    for r in results:
        if "tab" in r:
            per_replica[r["tab"].replica] = per_replica.get(r["tab"].replica, 0) + 1
    seen, joined = state.get("seen"), state.get("joined")
    complete = seen is not None and seen == joined
    last_tap = max((r["tapped"] for r in results if "tapped" in r), default=None)
    cpu = state.get("cpu") or [round(cpu_s(p) - state["cpu_before"][p], 1) for p in state.get("pids", [])
                               if Path(f"/proc/{p}").exists()]
    peaks = state.get("peaks", {"rss": {}, "db": None})
    # Learner-minutes: each learner counts from the moment they opened the page until the run ended.
    end = state.get("ended_at")
    minutes = sum(end - (state["t0"] + r["opened_at"]) for r in results if "opened_at" in r) / 60 if end else 0
    joining = answering = {}
    answers_total = per_answer = None
    if "stats_joined" in state:
        joining = stats_delta(state["stats_joined"], state["stats_before"])
    if "stats_answered" in state:
        answering = stats_delta(state["stats_answered"], state["stats_joined"])
        submit = answering["operations"].get("classroom.submit")
        per_answer = submit["round_trips_per_call"] if submit else None
        answers_total = round(answering["round_trips"] / max(len(answers), 1), 1)
    messages = sum(r["tab"].messages for r in results if "tab" in r)
    reruns = sum(r["tab"].reruns for r in results if "tab" in r)
    hold = state.get("hold")
    joined_n = state.get("joined") or 0
    extra = {
        # The sizing figures: connected learners between answers (the lobby hold), then each join and answer.
        "cpu_s_per_learner_minute": round(hold["cpu_s"] / (joined_n * hold["s"] / 60), 4) if hold and joined_n
        else None,
        "cpu_s_per_join": round(state["cpu_joined"] / joined_n, 4) if "cpu_joined" in state and joined_n else None,
        "cpu_s_in_answer_phase_per_answer": round(state["cpu_answer_phase"] / max(len(answers), 1), 4)
        if "answer_phase_s" in state else None,
        "answer_phase_s": round(state["answer_phase_s"], 1) if "answer_phase_s" in state else None,
        "cpu_s_per_learner_minute_whole_run": round(state["cpu_learners"] / minutes, 3)
        if minutes and "cpu_learners" in state else None,
        "replica_cpu_wait_s": state.get("cpu_wait"),
        "learner_minutes": round(minutes, 1),
        "db_round_trips_per_answer": per_answer,
        "db_round_trips_in_answer_phase_per_answer": answers_total,
        "db_joining": joining,
        "db_answering": answering,
        "websocket_messages_per_learner_minute": round(messages / minutes, 1) if minutes else None,
        "reruns_per_learner_minute": round(reruns / minutes, 1) if minutes else None,
        "client_cpu_s": round(state["client_cpu_s"], 1) if "client_cpu_s" in state else None,
    }
    return extra | {
        "learners": state.get("learners"),
        "joined": joined,
        "answers_confirmed": len(answers),
        "answers_seen_by_host": seen,
        "answers_refused_late": sum(1 for r in results if "refused" in r),
        "all_answers_seen_s": round(state["seen_at"] - state["started_at"], 3) if complete else None,
        "after_last_answer_s": round(state["seen_at"] - last_tap, 3) if complete and last_tap else None,
        "p50_answer_s": quantile(answers, 0.5),
        "p95_answer_s": quantile(answers, 0.95),
        "join_p50_s": quantile(joins, 0.5),
        "join_p95_s": quantile(joins, 0.95),
        "reveal_seen_p95_s": quantile(reveals, 0.95),
        "rss_mib_per_replica": [round(v, 1) for v in peaks["rss"].values()] or None,
        "db_connections": peaks["db"],
        "cpu_s_per_replica": cpu or None,
        "run_s": round(time.monotonic() - state["t0"], 1) if "t0" in state else None,
        "learners_per_replica": per_replica,
        "host_replica": state["host"].replica if "host" in state else None,
        "stage_reached": state.get("stage"),
        "errors": [r["error"] for r in results if "error" in r][:3],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=100)
    parser.add_argument("--window", type=float, default=10.0, help="seconds over which learners join, then answer")
    parser.add_argument("--hold", type=float, default=10.0,
                        help="seconds everyone waits in the lobby before the start (measures the steady cost)")
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--url", help="already running replicas behind nginx (nothing is started)")
    parser.add_argument("--timeout", type=float, default=240, help="the whole run stops after this many seconds")
    parser.add_argument("--post-script-gc", action="store_true",
                        help="keep Streamlit's default full gc.collect() after every script run (the launcher "
                             "turns it off); shows what that default costs")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from deploy.replicas import DeployError, start_cluster

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_URL)
    cluster = None
    report: dict = {}
    try:
        if args.url:
            base, pids, stats_dir = args.url.rstrip("/"), [], None
        else:
            with admin.begin() as c:
                c.execute(text(f'CREATE SCHEMA "{schema}"'))
            db_url = f"{POSTGRES_URL}?options=-csearch_path%3D{schema}&application_name={APP_NAME}"
            data_dir = Path(tempfile.mkdtemp(prefix="genlab-bench-data-"))
            stats_dir = Path(tempfile.mkdtemp(prefix="genlab-bench-db-stats-"))
            started = time.perf_counter()
            cluster = start_cluster(db_url, data_dir, cloud_keys=False, replicas=args.replicas, port=free_port(),
                                    replica_ports=[free_port() for _ in range(args.replicas)],
                                    env={"GENLAB_INSTRUCTOR_PASSCODE": PASSCODE,
                                         "STREAMLIT_RUNNER_POST_SCRIPT_GC": str(args.post_script_gc).lower(),
                                         "GENLAB_DB_STATS_DIR": str(stats_dir)})
            report["cluster_start_s"] = round(time.perf_counter() - started, 2)
            base, pids = cluster.url, cluster.replica_pids
        state: dict = {}
        try:
            run = scenario(base, args.learners, args.window, pids, POSTGRES_URL, state, stats_dir, args.hold)
            asyncio.run(asyncio.wait_for(run, args.timeout))
        except (BenchError, TimeoutError) as exc:
            report["error"] = f"{type(exc).__name__}: {exc}" if str(exc) else f"stopped after {args.timeout:.0f} s"
        report |= summarize(state)
    except DeployError as exc:
        report["error"] = f"{type(exc).__name__}: {exc}"
    finally:
        if cluster is not None:
            cluster.stop()
        if not args.url:
            with admin.begin() as c:
                c.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()
    report |= {"replicas": args.replicas, "window_s": args.window, "post_script_gc": args.post_script_gc,
               "host_refresh_s": 1, "learner_refresh_s": 2,
               "client": "Streamlit websocket protocol (no browser rendering)", "cpus": os.cpu_count(),
               "python": platform.python_version(), "load_avg_1m": round(os.getloadavg()[0], 2),
               "machine": describe()}
    print(json.dumps(report))
    return 0 if "error" not in report else 1


if __name__ == "__main__":
    sys.exit(main())
