"""Every status code c2pa-rs 0.91.3 can report has its own sentence (the list is data, with its source)."""

import c2pa
import pytest

from genlab.provenance.inspect import failure_sentence
from genlab.provenance.status_codes import CODE_LIST, MEANINGS, listed_codes


def test_the_code_list_names_the_c2pa_version_it_was_taken_from() -> None:
    header = CODE_LIST.read_text(encoding="utf-8")
    assert "c2pa-python 0.38.1" in header and "c2pa-rs 0.91.3" in header
    assert c2pa.sdk_version() == "0.91.3", "c2pa-rs changed: refresh c2pa_status_codes.txt from its source"
    assert len(listed_codes()) > 100 and len(set(listed_codes())) == len(listed_codes())


@pytest.mark.parametrize("code", listed_codes())
def test_every_listed_code_has_its_own_sentence(code: str) -> None:
    assert code in MEANINGS, f"{code} has no sentence"
    failure = failure_sentence(code, "c2pa-rs's words")
    assert failure.sentence == MEANINGS[code].sentence and failure.explanation == "c2pa-rs's words"
    assert f"The check {code} failed" not in failure.sentence


def test_sentences_are_distinct_and_identity_codes_stay_identity() -> None:
    sentences = [m.sentence for m in MEANINGS.values()]
    assert len(set(sentences)) == len(sentences)
    assert all(m.scope == "identity" for code, m in MEANINGS.items() if code.startswith("cawg."))
    assert MEANINGS["signingCredential.untrusted"].scope == "trust"
