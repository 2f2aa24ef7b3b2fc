"""A scene: the exact facts behind one picture of the illustrated world."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Subject:
    """One drawn thing and what it looks like."""

    kind: str
    colour: str
    accessory: str = "none"
    texture: str = "plain"


@dataclass(frozen=True)
class Scene:
    """Everything needed to draw a picture, and to check a caption against it.

    ``layout`` is "single" (``subjects[0]`` at ``position`` and ``size``), "and" (two subjects side
    by side, small) or "above" (``subjects[0]`` above ``subjects[1]``, small).
    """

    layout: str
    subjects: tuple[Subject, ...]
    scene: str
    style: str
    size: str = "large"
    position: str = "center"

    @property
    def main(self) -> Subject:
        return self.subjects[0]

    @property
    def second(self) -> Subject | None:
        return self.subjects[1] if len(self.subjects) > 1 else None
