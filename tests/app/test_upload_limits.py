"""Each upload box states, enforces and reports one limit, in the units the box itself shows."""

import re

from streamlit.testing.v1 import AppTest

from genlab import uploads
from tests.support.apptest import APP


def test_the_vision_uploader_label_and_box_agree() -> None:
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("app_pages/lesson_vision.py").run()
    at.radio(key="vl_source").set_value("Upload a picture").run()
    assert not at.exception
    box = at.get("file_uploader")[0].proto
    stated = int(re.search(r"up to (\d+) MB", box.label).group(1))
    assert stated == box.max_upload_size_mb == uploads.VISION_UPLOAD_MB


def test_sizes_are_written_as_the_box_writes_them() -> None:
    assert uploads.size_text(7_700_000) == "7.3 MB"  # what the box shows beside a 7,700,000-byte file
    assert not uploads.too_big(5 * uploads.MB, 5) and uploads.too_big(5 * uploads.MB + 1, 5)
