"""The warm-up: once per process, in the background, every page's ui modules and the registered work."""

import json
import os
import subprocess
import sys
from pathlib import Path

from ui import warmup

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import json
from ui import warmup
calls = []

@warmup.task("a task that fails")
def broken():
    raise RuntimeError("no model here")

@warmup.task("a task that works")
def works():
    calls.append(1)

first, second = warmup.start(), warmup.start()
finished = warmup.wait(240 if first else 1)
import sys
print(json.dumps({"first": first, "second": second, "finished": finished, "calls": len(calls),
                  "status": warmup.status(), "lesson_loaded": "ui.lesson" in sys.modules}))
"""


def run(tmp_path: Path, **env: str) -> dict:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "AZURE_", "OPENAI_"))}
    environment |= {"GENLAB_DATA_DIR": str(tmp_path), "GENLAB_WARMUP": "true", **env}
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=environment, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_pages_ui_modules_are_found_without_running_a_page() -> None:
    modules = warmup.page_modules()
    assert {"ui.lesson", "ui.state", "ui.studio.clicks", "ui.classroom_widgets"} <= set(modules)
    assert "ui.state.settings" not in modules  # a function imported from a module is not a module


def test_warm_up_runs_once_and_a_failing_task_is_skipped(tmp_path: Path) -> None:
    report = run(tmp_path)
    assert report["first"] is True and report["second"] is False and report["finished"] is True
    assert report["calls"] == 1
    status = report["status"]
    assert status["a task that fails"] == "failed: RuntimeError"
    assert status["a task that works"].endswith(" ms")
    assert status["the settings and the database (migrated once)"].endswith(" ms")  # the app's own tasks ran too
    assert report["lesson_loaded"] and (tmp_path / "genlab.sqlite3").exists()  # migrated in the background


def test_warm_up_can_be_turned_off(tmp_path: Path) -> None:
    report = run(tmp_path, GENLAB_WARMUP="false")
    assert report["first"] is False and report["calls"] == 0 and report["finished"] is False
