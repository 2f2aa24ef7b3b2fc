"""Who is who: PIN hashing, the wrong-PIN limit, remembered devices and the host token (SQLite and PostgreSQL)."""

from datetime import timedelta

import pytest
from sqlalchemy import select, text

from genlab import identity
from genlab.settings import Settings
from genlab.store import Store
from genlab.store import learners as profiles
from genlab.store.models import Learner, LearnerDevice, utcnow


def test_pin_is_stored_as_a_slow_salted_hash() -> None:
    stored = identity.hash_pin("4711")
    assert "4711" not in stored and stored.startswith("scrypt$16384$8$1$")
    assert identity.hash_pin("4711") != stored  # salted
    assert identity.verify_pin("4711", stored)
    assert not identity.verify_pin("4712", stored)
    assert not identity.verify_pin("4711", "scrypt$broken")


@pytest.mark.parametrize("pin", ["", "123", "x" * 65])
def test_pin_shape_gets_a_sentence(pin: str) -> None:
    with pytest.raises(identity.PinError, match=r"\."):
        identity.check_pin_shape(pin)


def test_new_name_creates_a_profile_and_its_pin_opens_it(store: Store) -> None:
    with store.session() as s:
        made = profiles.open_or_create(s, " Ada  Lovelace ", "2468")
        assert made.created and made.name == "Ada Lovelace"
        again = profiles.open_or_create(s, "ada lovelace", "2468")
        assert again.learner_id == made.learner_id and not again.created
        row = s.scalar(select(Learner).where(Learner.id == made.learner_id))
        assert row is not None and "2468" not in (row.pin_hash or "")


def test_another_learners_name_does_not_open_their_profile(store: Store) -> None:
    with store.session() as s:
        profiles.open_or_create(s, "Ada", "2468")
        with pytest.raises(profiles.ProfileError, match="not the PIN of the profile Ada"):
            profiles.open_or_create(s, "Ada", "1357")
        with pytest.raises(profiles.ProfileError, match="Type your PIN"):
            profiles.open_or_create(s, "Ada", "")


def test_wrong_pins_lock_the_profile_for_everyone(store: Store) -> None:
    now = utcnow()
    with store.session() as s:
        profiles.open_or_create(s, "Grace", "right-pin", now)
        for _ in range(profiles.PIN_ATTEMPTS):
            with pytest.raises(profiles.ProfileError, match="not the PIN"):
                profiles.open_or_create(s, "Grace", "wrong", now)
    # Another replica (a new session on the same database), even with the right PIN, is refused.
    with store.session() as s, pytest.raises(profiles.ProfileError, match="locked for 15 more minutes"):
        profiles.open_or_create(s, "Grace", "right-pin", now + timedelta(seconds=5))
    later = now + profiles.PIN_LOCK + timedelta(seconds=1)
    with store.session() as s:
        # After the lock, one more wrong PIN locks again at once...
        with pytest.raises(profiles.ProfileError, match="not the PIN"):
            profiles.open_or_create(s, "Grace", "wrong", later)
        with pytest.raises(profiles.ProfileError, match="locked"):
            profiles.open_or_create(s, "Grace", "right-pin", later)
        # ...and the right PIN after it opens the profile and clears the count.
        opened = profiles.open_or_create(s, "Grace", "right-pin", later + profiles.PIN_LOCK + timedelta(seconds=1))
        assert opened.name == "Grace"
        assert s.scalar(select(Learner.pin_failures).where(Learner.id == opened.learner_id)) == 0


def test_profiles_from_before_pins_are_claimed_once(store: Store) -> None:
    with store.session() as s:
        old = profiles.get_or_create(s, "Alan")
        claimed = profiles.open_or_create(s, "Alan", "9999")
        assert claimed.claimed and claimed.learner_id == old.id
        with pytest.raises(profiles.ProfileError, match="not the PIN"):
            profiles.open_or_create(s, "Alan", "1111")


def test_sign_in_profiles_do_not_open_with_a_pin(store: Store) -> None:
    with store.session() as s:
        profiles.from_sign_in(s, "sub-1", "Barbara")
        with pytest.raises(profiles.ProfileError, match="Sign in"):
            profiles.open_or_create(s, "Barbara", "1234")


def test_a_remembered_device_opens_only_its_own_profile(store: Store) -> None:
    with store.session() as s:
        ada = profiles.open_or_create(s, "Ada", "2468")
        grace = profiles.open_or_create(s, "Grace", "1357")
        token = profiles.remember_device(s, ada.learner_id)
        stored = s.scalar(select(LearnerDevice.token_sha256))
        assert stored == identity.token_digest(token) and token not in stored  # the cookie is not in the store
        found = profiles.from_device(s, token)
        assert found is not None and found.id == ada.learner_id != grace.learner_id
        assert profiles.from_device(s, token[:-1] + ("A" if token[-1] != "A" else "B")) is None
        assert profiles.from_device(s, "") is None and profiles.from_device(s, "x" * 500) is None
        assert profiles.from_device(s, token, utcnow() + timedelta(days=identity.DEVICE_DAYS + 1)) is None
        profiles.forget_device(s, token)
        assert profiles.from_device(s, token) is None


def test_deleting_a_profile_forgets_its_devices(store: Store) -> None:
    with store.session() as s:
        ada = profiles.open_or_create(s, "Ada", "2468")
        profiles.remember_device(s, ada.learner_id)
        if store.engine.dialect.name == "sqlite":
            s.execute(text("PRAGMA foreign_keys=ON"))
        s.execute(text("DELETE FROM learners WHERE id = :id"), {"id": ada.learner_id})
        s.commit()
        assert s.scalar(select(LearnerDevice)) is None


def test_host_token_is_signed_and_expires() -> None:
    settings = Settings(instructor_passcode="correct horse")
    token = identity.issue_host_token(settings, now=1_000)
    assert "correct horse" not in token
    assert identity.host_token_valid(settings, token, now=1_001)
    assert not identity.host_token_valid(settings, token, now=1_000 + identity.HOST_HOURS * 3600 + 1)
    expires, nonce, signature = token.split(".")
    assert not identity.host_token_valid(settings, f"{int(expires) + 3600}.{nonce}.{signature}", now=1_001)
    assert not identity.host_token_valid(Settings(instructor_passcode="another passcode"), token, now=1_001)
    assert not identity.host_token_valid(Settings(), token, now=1_001)
    for junk in (None, "", "a.b", "1.2.3", "x" * 300):
        assert not identity.host_token_valid(settings, junk, now=1_001)
    keyed = Settings(instructor_passcode="correct horse", secret_key="server-secret")
    assert not identity.host_token_valid(keyed, token, now=1_001)
    assert identity.host_token_valid(keyed, identity.issue_host_token(keyed, now=1_000), now=1_001)
