from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def test_app_starts_on_the_home_page() -> None:
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert [t.value for t in at.title] == ["AI-901 Image Generation Lab"]
    table = at.dataframe[0].value
    assert set(table["Objective"]) >= {"1.2.1", "1.3.4", "2.3.2"}
