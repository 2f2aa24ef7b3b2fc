"""One learner-facing error base: each engine error a learner should read is a LearnerError with its
sentence, and still the built-in error its callers caught before."""

import pytest

from genlab.classroom import ClassroomError, JoinError, QuestionError, clean_code
from genlab.errors import LearnerError
from genlab.provenance import ProvenanceError, tamper
from genlab.store import StoreUnavailable
from genlab.study.attempts import AttemptError


def test_sentence_and_hint() -> None:
    error = LearnerError("The quiz has ended.", hint="Ask the host for the next code.")
    assert error.sentence == str(error) == "The quiz has ended." and error.hint == "Ask the host for the next code."
    assert LearnerError("Try again.").hint is None


@pytest.mark.parametrize(("kind", "builtin"), [
    (ClassroomError, ValueError), (JoinError, ValueError), (QuestionError, ValueError),
    (AttemptError, ValueError), (ProvenanceError, ValueError), (StoreUnavailable, RuntimeError),
])
def test_engine_errors_share_the_base(kind: type[Exception], builtin: type[Exception]) -> None:
    assert issubclass(kind, LearnerError) and issubclass(kind, builtin)


def test_raised_errors_carry_their_sentence(tmp_path) -> None:
    with pytest.raises(LearnerError) as join:
        clean_code("")
    assert join.value.sentence == "Type the join code shown on the projector screen, for example K7MW3X."
    with pytest.raises(LearnerError) as provenance:
        tamper("resave", b"GIF89a not signed", data_dir=tmp_path)
    assert provenance.value.sentence == "The tamper lab works on signed PNG or JPEG images."
