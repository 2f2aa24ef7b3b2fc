from tests.support.apptest import open_page


def test_app_starts_on_the_home_page() -> None:
    at = open_page(timeout=60)
    assert [t.value for t in at.title] == ["AI-901 Image Generation Lab"]
    table = at.dataframe[0].value
    assert set(table["Objective"]) >= {"1.2.1", "1.3.4", "2.3.2"}
