import numpy as np
import pytest

from genlab.toyworld import FREQUENCIES, caption_of, held_out_captions, parse, render, sample_scene
from genlab.toyworld.caption import VOCAB_SIZE, scene_slots, unspecified_ids
from genlab.toyworld.sample import HELD_OUT, held_out_scenes


def test_every_sampled_caption_parses_back_to_its_scene() -> None:
    rng = np.random.default_rng(1)
    for _ in range(2000):
        scene = sample_scene(rng)
        text = caption_of(scene_slots(scene))
        parsed = parse(text)
        assert parsed.slots == scene_slots(scene), text
        assert parsed.unknown_words == []


def test_unknown_words_are_listed_not_dropped() -> None:
    parsed = parse("A fluffy ORANGE cat, watercolour style")
    assert parsed.unknown_words == ["fluffy", "cat", "watercolour", "style"]
    assert parsed.slots["colour"] == "orange" and parsed.slots["shape"] is None


def test_below_mirrors_above_and_plurals_are_understood() -> None:
    assert parse("a red circle below a blue star").slots == parse("a blue star above a red circle").slots
    assert parse("two green hearts").slots["layout"] == "two"
    assert parse("a big gray diamond in the centre").slots["background"] == "grey"


def test_conflicts_are_explained() -> None:
    parsed = parse("a red blue circle")
    assert parsed.slots["colour"] == "red" and "two values for colour" in parsed.notes[0]


def test_empty_prompt_is_unconditional() -> None:
    assert parse("").is_empty and parse("").token_ids() == unspecified_ids()
    assert all(0 <= i < VOCAB_SIZE for i in parse("two red stars on a black background").token_ids())


@pytest.mark.parametrize("slot", ["layout", "shape", "colour", "position", "background"])
def test_training_frequencies_match_the_documented_table(slot: str) -> None:
    rng = np.random.default_rng(3)
    scenes = [sample_scene(rng, allow_held_out=True) for _ in range(20000)]
    values = [scene_slots(s)[slot] for s in scenes]
    if slot == "position":
        values = [v for v, s in zip(values, scenes, strict=True) if s.layout == "single"]
    for word, p in FREQUENCIES[slot].items():
        assert abs(values.count(word) / len(values) - p) < 0.02, (slot, word)


def test_held_out_combinations_never_appear_in_training() -> None:
    rng = np.random.default_rng(4)
    for _ in range(5000):
        s = sample_scene(rng)
        assert s.layout != "single" or (s.main.shape, s.main.colour, s.position) not in HELD_OUT
    assert len(held_out_captions()) == len(held_out_scenes()) >= 200


def test_render_is_deterministic_and_draws_the_colour_where_asked() -> None:
    scene = parse("a large red square on the left on a white background")
    from genlab.toyworld import Scene, Thing

    s = Scene("single", (Thing("square", "red", "large"),), "left", "white")
    a, b = render(s), render(s)
    assert a.shape == (32, 32, 3) and a.dtype == np.uint8 and np.array_equal(a, b)
    left, right = a[:, :16].astype(int), a[:, 16:].astype(int)
    redness = lambda x: ((x[..., 0] > 180) & (x[..., 1] < 90)).sum()  # noqa: E731
    assert redness(left) > 80 and redness(right) < redness(left) / 4
    assert scene.slots["position"] == "left"
