"""A scene: the exact facts behind one toy-world image."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Thing:
    """One drawn object."""

    shape: str
    colour: str
    size: str = "large"


@dataclass(frozen=True)
class Scene:
    """Everything needed to draw an image, and to check a caption against it.

    ``layout`` is "single" (one thing at ``position``), "two" (two copies of ``things[0]`` side by
    side) or "above" (``things[0]`` above ``things[1]``). Multi-thing layouts always draw small
    things and ignore ``position``.
    """

    layout: str
    things: tuple[Thing, ...]
    position: str
    background: str

    @property
    def main(self) -> Thing:
        return self.things[0]
