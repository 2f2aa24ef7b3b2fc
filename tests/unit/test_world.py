"""The illustrated world: renderer, captions, tokenizer, the literal prompt reader, frequencies."""

import numpy as np
import pytest

from genlab.world.attributes import ATTRIBUTES, facts_of, label_row
from genlab.world.caption import caption_of, describe
from genlab.world.prompt import read_prompt
from genlab.world.render import render
from genlab.world.sample import FREQUENCIES, HELD_OUT, SUBJECT_COLOURS, held_out_scenes, sample_scene
from genlab.world.scene import Scene, Subject
from genlab.world.tokenizer import MAX_TOKENS, PAD, UNK, VOCAB_SIZE, tokenize, words_of
from genlab.world.vocab import ACCESSORIES, SCENES, STYLES, SUBJECTS

SOURCE_PROMPTS = {
    "a fluffy orange cat wearing a tiny top hat, watercolour style":
        {"subject": "cat", "colour": "orange", "texture": "fluffy", "accessory": "top hat", "style": "watercolour"},
    "a cat and a dog playing in a park": {"layout": "and", "subject": "cat", "subject2": "dog", "scene": "park"},
    "A cat in a spacesuit walking on the surface of Mars":
        {"subject": "cat", "accessory": "spacesuit", "scene": "mars"},
}


def test_the_world_is_as_large_as_promised() -> None:
    assert len(SUBJECTS) >= 10 and len(ACCESSORIES) - 1 >= 4 and len(SCENES) >= 5 and len(STYLES) >= 4


@pytest.mark.parametrize("prompt", list(SOURCE_PROMPTS))
def test_the_sources_prompts_are_fully_understood(prompt: str) -> None:
    tokens = tokenize(prompt)
    assert tokens.unknown_words == [] and not tokens.truncated
    assert read_prompt(prompt).asked().items() >= SOURCE_PROMPTS[prompt].items()


def test_synonyms_plurals_and_spellings_fold_onto_one_word() -> None:
    assert words_of("Kittens") == ["cat"] and words_of("puppy") == ["dog"]
    assert words_of("watercolor") == words_of("watercolour") == ["watercolour"]
    assert words_of("a space suit") == ["a", "spacesuit"] and words_of("grey") == words_of("gray")
    assert tokenize("painted in watercolour").unknown_words == []


def test_unknown_words_are_listed_not_dropped_and_top_hat_is_not_a_position() -> None:
    tokens = tokenize("a purple unicorn wearing a top hat")
    assert tokens.unknown_words == ["unicorn"] and UNK in tokens.ids
    facts = read_prompt("a cat wearing a top hat").facts
    assert facts["accessory"] == "top hat" and facts["position"] is None


def test_ids_are_padded_and_long_prompts_are_cut_with_a_flag() -> None:
    short = tokenize("a cat")
    assert len(short.ids) == MAX_TOKENS and short.ids[2:] == [PAD] * (MAX_TOKENS - 2)
    long = tokenize(" ".join(["cat"] * (MAX_TOKENS + 3)))
    assert long.truncated and len(long.ids) == MAX_TOKENS
    assert all(0 <= i < VOCAB_SIZE for i in tokenize("a shiny red car on the beach, pixel art").ids)


def test_every_training_caption_uses_only_known_words() -> None:
    rng = np.random.default_rng(1)
    for _ in range(3000):
        text = describe(sample_scene(rng), rng)
        assert tokenize(text).unknown_words == [], text


def test_complete_captions_read_back_to_their_scene() -> None:
    rng = np.random.default_rng(2)
    for _ in range(500):
        scene = sample_scene(rng)
        facts = facts_of(scene)
        asked = read_prompt(caption_of(scene)).facts
        for key in ("layout", "subject", "colour", "subject2", "colour2", "scene", "style", "accessory"):
            if facts[key] not in (None, "none"):
                assert asked[key] == facts[key], (caption_of(scene), key)


def test_below_is_the_mirror_of_above() -> None:
    assert read_prompt("a red house below a blue bird").facts == read_prompt("a blue bird above a red house").facts | {
        "subject": "bird", "colour": "blue", "subject2": "house", "colour2": "red"}


@pytest.mark.parametrize("fact", ["layout", "scene", "style"])
def test_training_frequencies_match_the_documented_table(fact: str) -> None:
    rng = np.random.default_rng(3)
    scenes = [sample_scene(rng, allow_held_out=True) for _ in range(12000)]
    values = [facts_of(s)[fact] for s in scenes]
    for value, p in FREQUENCIES[fact].items():
        assert abs(values.count(value) / len(values) - p) < 0.02, (fact, value)


def test_each_subject_favours_its_documented_colours() -> None:
    rng = np.random.default_rng(4)
    cats = [s.main.colour for s in (sample_scene(rng, allow_held_out=True) for _ in range(20000))
            if s.layout == "single" and s.main.kind == "cat"]
    for colour, p in SUBJECT_COLOURS["cat"].items():
        assert abs(cats.count(colour) / len(cats) - p) < 0.03, colour


def test_held_out_combinations_never_appear_in_training() -> None:
    rng = np.random.default_rng(5)
    for _ in range(5000):
        s = sample_scene(rng)
        assert s.layout != "single" or (s.main.kind, s.main.colour, s.scene, s.style) not in HELD_OUT
    held = held_out_scenes()
    assert len(held) >= 300 and all((s.main.kind, s.main.colour, s.scene, s.style) in HELD_OUT for s in held)


def test_render_is_deterministic_and_styles_and_scenes_change_the_picture() -> None:
    scene = Scene("single", (Subject("cat", "orange", "top hat", "fluffy"),), "park", "flat")
    a, b = render(scene), render(scene)
    assert a.shape == (64, 64, 3) and a.dtype == np.uint8 and np.array_equal(a, b)
    for other in (Scene("single", scene.subjects, "park", "pixel art"), Scene("single", scene.subjects, "mars", "flat"),
                  Scene("single", (Subject("cat", "orange", "none", "fluffy"),), "park", "flat"),
                  Scene("single", (Subject("cat", "orange", "top hat", "plain"),), "park", "flat")):
        assert np.abs(render(other).astype(int) - a.astype(int)).mean() > 1.0, other


def test_the_colour_is_drawn_where_the_subject_stands() -> None:
    picture = render(Scene("single", (Subject("square", "blue"),), "plain", "flat", "large", "left"))
    left, right = picture[:, :24].reshape(-1, 3), picture[:, 40:].reshape(-1, 3)
    blue = np.array([40, 92, 212])
    assert (np.abs(left.astype(int) - blue).sum(1) < 60).sum() > 100
    assert (np.abs(right.astype(int) - blue).sum(1) < 60).sum() == 0


def test_labels_cover_every_attribute_and_skip_what_does_not_apply() -> None:
    two = Scene("and", (Subject("cat", "orange"), Subject("dog", "brown")), "park", "flat", "small")
    row = dict(zip(ATTRIBUTES, label_row(two), strict=True))
    assert row["position"] == -1 and row["accessory"] == -1 and row["subject2"] == SUBJECTS.index("dog")
