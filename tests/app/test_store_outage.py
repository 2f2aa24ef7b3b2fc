"""A database that goes away while learners use the app: the page says so in a sentence (no traceback),
and the same session carries on once the database is back. A real SQLite file, moved away and back."""

import shutil
import sqlite3
from pathlib import Path

from streamlit.testing.v1 import AppTest

from genlab.settings import get_settings
from tests.support.apptest import click, open_page

FLASHCARDS = "app_pages/flashcards.py"
SENTENCE = "The database is not answering, so progress cannot be saved or loaded right now."


def move_away(db: Path, to: Path) -> None:
    """Take a consistent copy, then remove the database and its WAL files, as moving it away would."""
    with sqlite3.connect(db) as source, sqlite3.connect(to) as target:
        source.backup(target)
    source.close()
    target.close()
    for path in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        path.unlink(missing_ok=True)


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def test_flashcards_say_so_when_the_database_goes_and_carry_on_when_it_is_back(tmp_path: Path) -> None:
    at = open_page()
    next(t for t in at.text_input if t.label == "Profile name").set_value("Ada")
    next(t for t in at.text_input if t.label == "PIN or passphrase").set_value("2468")
    click(at, "Start learning")
    at.switch_page(FLASHCARDS).run()
    click(at, "Show answer")
    assert not errors(at)
    db = Path(get_settings().data_dir) / "genlab.sqlite3"
    move_away(db, tmp_path / "saved.sqlite3")

    good = next(b for b in at.button if b.label.startswith("Good"))
    good.click().run()  # the rating's callback and the page both need the database
    assert not at.exception, at.exception
    assert errors(at) and all(e == errors(at)[0] for e in errors(at))
    assert errors(at)[0].startswith(SENTENCE) and str(db) not in errors(at)[0]
    assert not db.exists()

    at.run()  # the learner tries again while it is still gone: the same sentence, still no traceback
    assert not at.exception and errors(at) and errors(at)[0].startswith(SENTENCE)

    shutil.copy(tmp_path / "saved.sqlite3", db)
    at.run()
    assert not at.exception and not errors(at)
    assert [t.value for t in at.title] == ["Flashcards"]
    assert any(m.label == "Reviewed today" for m in at.metric)
