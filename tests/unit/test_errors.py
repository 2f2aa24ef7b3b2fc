"""One learner-facing error base: each engine error a learner should read is a LearnerError with its
sentence, and still the built-in error its callers caught before."""

import pytest

from genlab.backends import BackendUnavailable
from genlab.classroom import ClassroomError, JoinError, QuestionError, clean_code
from genlab.content import ContentError
from genlab.diffusion.model import ModelMissing
from genlab.errors import LearnerError
from genlab.identity import PinError
from genlab.provenance import ProvenanceError, tamper
from genlab.settings import SettingsError, load_settings
from genlab.store import StoreUnavailable
from genlab.store.learners import ProfileError, clean_name
from genlab.study.attempts import AttemptError
from genlab.study.flashcards import StudyError


def test_sentence_and_hint() -> None:
    error = LearnerError("The quiz has ended.", hint="Ask the host for the next code.")
    assert error.sentence == str(error) == "The quiz has ended." and error.hint == "Ask the host for the next code."
    assert LearnerError("Try again.").hint is None


@pytest.mark.parametrize(("kind", "builtin"), [
    (ClassroomError, ValueError), (JoinError, ValueError), (QuestionError, ValueError),
    (AttemptError, ValueError), (ProvenanceError, ValueError), (StoreUnavailable, RuntimeError),
    (ProfileError, ValueError), (PinError, ValueError), (SettingsError, ValueError), (ContentError, ValueError),
    (StudyError, ValueError), (BackendUnavailable, ValueError), (ModelMissing, RuntimeError),
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


def test_profile_and_settings_errors_are_learner_errors_with_their_sentence(tmp_path) -> None:
    with pytest.raises(LearnerError) as profile:
        clean_name("   ")
    assert profile.value.sentence == "Type a name for your profile, for example your first name."
    broken = tmp_path / "secrets.toml"
    broken.write_text('AZURE_OPENAI_API_KEY = "sk-unclosed\n', encoding="utf-8")
    with pytest.raises(LearnerError) as settings:
        load_settings({}, broken)
    assert settings.value.sentence.startswith("secrets.toml could not be read") and "sk-" not in str(settings.value)
