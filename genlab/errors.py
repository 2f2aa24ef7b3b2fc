"""The one base for errors a learner can act on.

Engine code raises a :class:`LearnerError` (or a subclass) when something went wrong that the person
at the screen should hear about: its ``sentence`` says what happened and what to do, in words that
hold no secret (never a key, a password or a connection string), and ``hint`` optionally adds the
next step for whoever runs the app. The UI shows these in one place (``ui.errors``); any other
exception is a bug and keeps its traceback.

Subclasses keep a built-in base beside this one (``ValueError`` for bad input, ``RuntimeError`` for a
service that is down) so callers that already catch those still do.
"""


class LearnerError(Exception):
    """Something the learner can act on, with the sentence that tells them how."""

    def __init__(self, sentence: str, *, hint: str | None = None) -> None:
        super().__init__(sentence)
        self.sentence = sentence
        self.hint = hint

    def __str__(self) -> str:
        return self.sentence
