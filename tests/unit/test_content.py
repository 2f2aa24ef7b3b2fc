"""The learning content: the real bank loads and covers the exam, and broken content is reported precisely.

The second half writes deliberately broken YAML and Markdown to a temporary tree and checks that the
error names the file, the item and the field, because that message is all a content author sees.
"""

import re
import textwrap
from collections import Counter
from pathlib import Path

import pytest

from genlab.content import (
    IN_SCOPE_OBJECTIVES,
    OBJECTIVE_NAMES,
    READING_WPM,
    ContentError,
    clear_cache,
    count_by_objective,
    coverage_gaps,
    domain_of,
    iter_scored,
    load_bank,
    load_flashcards,
    load_lessons,
    load_questions,
    min_questions,
    reading_minutes,
)
from genlab.quiz_schema import QUESTION_TYPES, CaseItem

# --- the real content -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bank():
    return load_bank()


def test_objective_tables_agree() -> None:
    assert len(IN_SCOPE_OBJECTIVES) == 14
    assert set(OBJECTIVE_NAMES) == set(IN_SCOPE_OBJECTIVES)
    assert OBJECTIVE_NAMES["1.1.1"] == "Fairness"
    assert OBJECTIVE_NAMES["1.2.1"] == "How generative models work"


def test_domain_of() -> None:
    assert domain_of("1.3.4") == 1
    assert domain_of("2.3.1") == 2
    assert Counter(domain_of(o) for o in IN_SCOPE_OBJECTIVES) == {1: 11, 2: 3}
    with pytest.raises(ValueError, match="not an objective id"):
        domain_of("2.3")


def test_real_content_has_no_coverage_gaps(bank) -> None:
    assert coverage_gaps(bank) == []


def test_lessons_in_order_with_tagged_sections(bank) -> None:
    assert [(lesson.order, lesson.slug) for lesson in bank.lessons] == [
        (1, "diffusion"), (2, "foundry"), (3, "vision-vs-generation"), (4, "responsible-ai")]
    for lesson in bank.lessons:
        assert len(lesson.sections) >= 5, lesson.slug
        for section in lesson.sections:
            assert section.objectives, (lesson.slug, section.title)
            assert set(section.objectives) <= set(lesson.objectives), (lesson.slug, section.title)
            assert section.markdown and "<!-- objectives" not in section.markdown
        assert 900 <= lesson.words <= 1800, (lesson.slug, lesson.words)
        assert lesson.minutes == reading_minutes(lesson.words) == -(-lesson.words // READING_WPM)
    taught = {o for lesson in bank.lessons for s in lesson.sections for o in s.objectives}
    assert taught == set(IN_SCOPE_OBJECTIVES)


def test_beyond_exam_depth_is_optional_and_last(bank) -> None:
    titles = [s.title for s in bank.lesson("diffusion").sections]
    optional = [i for i, t in enumerate(titles) if t.startswith("Optional, beyond the exam")]
    assert optional and optional == list(range(len(titles) - len(optional), len(titles)))
    text = {s.title: s.markdown for s in bank.lesson("diffusion").sections}
    for word in ("DDPM", "DDIM", "cosine schedule", "***v***"):
        holders = [t for t, m in text.items() if word in m]
        assert holders and all(t.startswith("Optional") for t in holders), word


def test_each_responsible_ai_principle_has_its_own_section(bank) -> None:
    rai = bank.lesson("responsible-ai")
    for objective in ("1.1.1", "1.1.2", "1.1.3", "1.1.4", "1.1.5", "1.1.6"):
        assert any(s.objectives == [objective] for s in rai.sections), objective
    deepfakes = [s.title for s in rai.sections if "deepfake" in s.markdown.lower()]
    assert all("1.1.3" not in rai.sections[[x.title for x in rai.sections].index(t)].objectives for t in deepfakes)
    assert any("Transparency" in t for t in deepfakes)


def test_lessons_state_the_key_facts(bank) -> None:
    text = {lesson.slug: "\n".join(s.markdown for s in lesson.sections) for lesson in bank.lessons}
    assert "no seed parameter" in text["diffusion"]
    foundry = text["foundry"]
    for fact in ("b64_json", "4 March 2026", "deployment name", "playground", "View code", "Deploy", "region",
                 "about 4x faster", "about 20%", "gpt-image-1-mini", "Global Standard", "Data Zone Standard",
                 "`contentFilter`", "`user`", "safety_identifier", "C2PA", "Entra ID", "17 December 2025"):
        assert fact in foundry, fact
    assert "Limited Access" in text["vision-vs-generation"]
    assert "GreenLeaf" in text["vision-vs-generation"]
    assert "does **not** mean the image is not AI-generated" in text["responsible-ai"]
    everywhere = "\n".join(text.values())
    assert "Azure AI Foundry" not in everywhere
    assert "OpenAI's latest" not in everywhere
    # OpenAI-only details are taught as such: the moderation parameter is never presented as Azure's.
    assert "moderation" not in text["diffusion"] and "`moderation` parameter (`auto` or `low`)" in foundry


def test_code_snippets_in_lessons_define_what_they_use(bank) -> None:
    fence = re.compile(r"```python\n(.*?)```", re.DOTALL)
    for lesson in bank.lessons:
        for section in lesson.sections:
            for code in fence.findall(section.markdown):
                compile(code, f"{lesson.slug}: {section.title}", "exec")
                if "client." in code:
                    assert "client = " in code, (lesson.slug, section.title)


def test_fairness_lesson_makes_no_claim_about_the_local_model_it_does_not_compute(bank) -> None:
    fairness = next(s for s in bank.lesson("responsible-ai").sections if s.objectives == ["1.1.1"]).markdown
    assert "run the probe and see" in fairness
    assert not re.search(r"\d+\s*%", fairness), "frequencies are rendered by the probe, never written by hand"
    for item, _case in iter_scored(bank.questions):
        if "local" in item.stem or "app's" in item.stem:
            assert not re.search(r"\d+\s*%", item.stem), item.id


def test_filter_examples_in_the_lesson_are_what_the_offline_filter_does(bank) -> None:
    """The lesson names a prompt the filter blocks and one it allows with a note; fails if the word list changes."""
    from genlab.backends import safety

    text = "\n".join(s.markdown for s in bank.lesson("responsible-ai").sections)
    blocked = re.search(r"Try \*([^*]+?)\*: .*?\*\*blocked\*\*", text)
    allowed = re.search(r"\*([^*]+?)\* is rated violence \(low\): \*\*allowed\*\*", text)
    assert blocked and allowed
    assert safety.rate(blocked.group(1)).blocked == {"violence": "medium"}
    assert not safety.rate(allowed.group(1)).blocked
    assert safety.rate(allowed.group(1)).flagged_low == {"violence": "low"}


# --- the bank's size and quality: these fail the build --------------------------------------------


def _single_choice(bank):
    return [item for item, _ in iter_scored(bank.questions) if item.type in ("single", "fill")]


def _lengths(item) -> tuple[int, list[int]]:
    correct = next(len(o.text) for o in item.options if o.correct)
    return correct, [len(o.text) for o in item.options if not o.correct]


def test_totals_meet_the_minimums(bank) -> None:
    scored = bank.scored_items()
    assert len(scored) >= 170
    for objective, (questions, cards) in count_by_objective(bank).items():
        assert questions >= (20 if objective.startswith("2.3.") else 10), objective
        assert questions >= min_questions(objective)
        assert cards >= 6, objective


def test_domain_two_covers_three_exam_simulations(bank) -> None:
    per_domain = Counter(domain_of(item.objective) for item in bank.scored_items())
    assert per_domain[1] >= 110
    assert per_domain[2] >= 60
    # Three 20-item simulations at 60% domain 2 need 36 distinct domain-2 items.
    assert per_domain[2] >= 3 * 12


def test_every_type_is_used_in_both_domains(bank) -> None:
    used = Counter((domain_of(q.objective), q.type) for q in bank.questions)
    used.update((domain_of(sub.objective), sub.type) for q in bank.questions if isinstance(q, CaseItem)
                for sub in q.items)
    for domain in (1, 2):
        for kind in QUESTION_TYPES:
            assert used[(domain, kind)] >= 1, (domain, kind)
    cases = [q for q in bank.questions if isinstance(q, CaseItem)]
    assert any("GreenLeaf" in case.scenario for case in cases)


def test_correct_option_is_not_a_giveaway_by_length(bank) -> None:
    items = _single_choice(bank)
    longest = [i.id for i in items if _lengths(i)[0] > max(_lengths(i)[1])]
    assert len(longest) <= 0.35 * len(items), f"{len(longest)} of {len(items)}: {longest}"
    for item in items:
        correct, wrong = _lengths(item)
        assert correct <= 1.3 * sum(wrong) / len(wrong), item.id


def test_matching_items_have_more_answers_than_prompts(bank) -> None:
    matches = [item for item, _ in iter_scored(bank.questions) if item.type == "match"]
    for item in matches:
        assert len(item.answers()) > len(item.pairs), item.id
    principles = {OBJECTIVE_NAMES[o] for o in ("1.1.1", "1.1.2", "1.1.3", "1.1.4", "1.1.5", "1.1.6")}
    six = [m for m in matches if {p.left for p in m.pairs} == principles]
    assert len(six) >= 2


def test_every_option_has_its_own_explanation(bank) -> None:
    for item, _ in iter_scored(bank.questions):
        parts = [*getattr(item, "options", []), *getattr(item, "statements", []), *getattr(item, "pairs", []),
                 *getattr(item, "decoys", []), *getattr(item, "steps", [])]
        whys = [part.why for part in parts]
        assert all(w.strip() for w in whys), item.id
        if item.type in ("single", "multi", "fill", "yesno"):
            assert len(set(whys)) == len(whys), item.id


def test_no_two_items_share_a_stem(bank) -> None:
    stems = Counter(item.stem.strip().lower() for item, _ in iter_scored(bank.questions))
    assert [s for s, n in stems.items() if n > 1] == []


def test_every_item_and_card_names_its_source(bank) -> None:
    kinds = ("seed 000", "seed 002", "https://learn.microsoft.com/", "https://docs.streamlit.io/", "reference/",
             "genlab/", "Ho, Jain", "Song, Meng", "content/lessons/")
    for item, _ in iter_scored(bank.questions):
        assert any(k in item.source for k in kinds), item.id
    for card in bank.flashcards:
        assert any(k in card.source for k in kinds), card.id


def test_azure_differences_from_openai_each_have_an_item(bank) -> None:
    """Every "what Azure does differently from OpenAI" fact is asked at least once."""
    def asked(item) -> str:
        parts = [item.stem, *(o.text + " " + o.why for o in getattr(item, "options", [])),
                 *(s.text + " " + s.why for s in getattr(item, "statements", [])),
                 *(p.left + " " + p.right + " " + p.why for p in getattr(item, "pairs", []))]
        return " ".join(parts)
    texts = [asked(item) for item, _ in iter_scored(bank.questions)]
    for fact in ("contentFilter", "safety_identifier", "moderation", "WEBP", "Azure's default", "Entra ID", "C2PA"):
        assert any(fact in t for t in texts), fact


def test_seed_knowledge_checks_are_keyed_as_the_source_intends(bank) -> None:
    items = {item.id: item for item in bank.scored_items()}
    greenleaf = next(i for i in items.values() if "GreenLeaf" in i.stem and "graphic designer" in i.stem)
    assert "Image generation" in next(o.text for o in greenleaf.options if o.correct)
    courier = next(i for i in items.values() if "most critical" in i.stem and "Courier" in i.stem)
    assert next(o.text for o in courier.options if o.correct).startswith("Deepfakes")
    assert sum("deepfake" in i.stem.lower() or any("deepfake" in o.text.lower() for o in getattr(i, "options", []))
               or any("deepfake" in s.text.lower() for s in getattr(i, "statements", [])) for i in items.values()) >= 3


def test_no_giveaway_options(bank) -> None:
    banned = re.compile(r"\b(all|none) of the above\b", re.IGNORECASE)
    correct_positions = Counter()
    for item, _case in iter_scored(bank.questions):
        for option in getattr(item, "options", []):
            assert not banned.search(option.text), item.id
            assert option.why.split(".")[0] in {"Correct", "Wrong", "Wrong on Azure"}, item.id
            assert option.why.startswith("Correct") == option.correct, item.id
        if item.type == "single":
            correct_positions[[o.correct for o in item.options].index(True)] += 1
        for statement in getattr(item, "statements", []):
            assert statement.why.startswith("Yes" if statement.answer else "No"), item.id
    # Nothing to gain from always picking the same letter.
    assert len(correct_positions) >= 3
    assert max(correct_positions.values()) <= 0.5 * sum(correct_positions.values())


def test_fill_items_complete_real_code(bank) -> None:
    fills = [item for item, _ in iter_scored(bank.questions) if item.type == "fill"]
    assert len(fills) >= 3
    for item in fills:
        answer = next(o.text for o in item.options if o.correct)
        completed = item.code.replace("____", answer)
        compile(completed, item.id, "exec")


def test_load_bank_is_cached_per_root(bank) -> None:
    assert load_bank() is bank
    assert load_bank(Path(__file__).resolve().parents[2]) is bank
    clear_cache()
    again = load_bank()
    assert again is not bank
    assert len(again.questions) == len(bank.questions)


def test_separate_loaders_match_the_bank(bank) -> None:
    assert [lesson.slug for lesson in load_lessons()] == [lesson.slug for lesson in bank.lessons]
    assert len(load_questions()) == len(bank.questions)
    assert [c.id for c in load_flashcards()] == [c.id for c in bank.flashcards]


def test_ids_are_unique_across_files(bank) -> None:
    ids = [item.id for item, _ in iter_scored(bank.questions)]
    ids += [q.id for q in bank.questions if isinstance(q, CaseItem)]
    ids += [card.id for card in bank.flashcards]
    assert len(ids) == len(set(ids))


# --- broken content in a temporary tree -------------------------------------------------------

LESSON = """\
---
title: A lesson
slug: diffusion
order: 1
objectives: ["1.2.1", "1.3.4"]
summary: One sentence.
# no minutes: the reading time is computed from the words
---

## First section
<!-- objectives: 1.2.1, 1.3.4 -->

Some text.

## Second section
<!-- objectives: 1.2.1 -->

More text.
"""

SINGLE = """\
- id: diff-03
  type: single
  objective: "1.2.1"
  lesson: diffusion
  source: A reference note.
  misconception: Something wrong.
  stem: Which one?
  options:
    - id: a
      text: Right answer
      correct: true
      why: Correct. Because.
    - id: b
      text: Wrong answer
      correct: false
      why: Wrong. Because.
    - id: c
      text: Another wrong answer
      correct: false
      why: Wrong. Because.
"""

CARDS = """\
- id: fc-1
  front: Front
  back: Back
  objective: "1.2.1"
  lesson: diffusion
  source: A reference note.
  tags: [x]
"""


def _tree(tmp_path: Path, *, lesson: str = LESSON, questions: str = SINGLE, cards: str = CARDS) -> Path:
    (tmp_path / "content/lessons").mkdir(parents=True)
    (tmp_path / "quiz/questions").mkdir(parents=True)
    (tmp_path / "content/lessons/01-test.md").write_text(lesson)
    (tmp_path / "quiz/questions/diffusion.yaml").write_text(questions)
    (tmp_path / "quiz/flashcards.yaml").write_text(cards)
    return tmp_path


def _error(call, root: Path) -> str:
    with pytest.raises(ContentError) as info:
        call(root)
    return str(info.value)


def test_valid_temporary_tree_loads(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    bank = load_bank(root)
    assert [s.title for s in bank.lessons[0].sections] == ["First section", "Second section"]
    assert bank.lessons[0].sections[0].objectives == ["1.2.1", "1.3.4"]
    assert bank.lessons[0].sections[0].markdown == "Some text."
    assert bank.lessons[0].path == root / "content/lessons/01-test.md"
    assert bank.questions[0].id == "diff-03"
    gaps = coverage_gaps(bank)
    assert "Objective 1.2.1 (How generative models work) has 1 question(s); at least 10 are needed." in gaps
    assert any(g.startswith("Objective 1.1.1 (Fairness) is not taught") for g in gaps)
    assert any(g.startswith("Objective 2.3.3") and "0 flashcard(s)" in g for g in gaps)


def test_missing_why_names_file_item_and_field(tmp_path: Path) -> None:
    broken = SINGLE.replace("      why: Wrong. Because.\n    - id: c", "    - id: c", 1)
    message = _error(load_questions, _tree(tmp_path, questions=broken))
    assert message == "quiz/questions/diffusion.yaml: item 'diff-03': options -> 1 -> why: Field required"


def test_two_correct_options_in_single(tmp_path: Path) -> None:
    broken = SINGLE.replace("Wrong answer\n      correct: false", "Wrong answer\n      correct: true")
    message = _error(load_questions, _tree(tmp_path, questions=broken))
    assert message == ("quiz/questions/diffusion.yaml: item 'diff-03': options: "
                       "exactly one option must be correct, found 2")


def test_unknown_field(tmp_path: Path) -> None:
    broken = SINGLE.replace("  stem: Which one?", "  stem: Which one?\n  hint: Look closely.")
    message = _error(load_questions, _tree(tmp_path, questions=broken))
    assert message == "quiz/questions/diffusion.yaml: item 'diff-03': hint: Extra inputs are not permitted"


def test_misspelt_option_field(tmp_path: Path) -> None:
    broken = SINGLE.replace("why: Correct. Because.", "wyh: Correct. Because.")
    message = _error(load_questions, _tree(tmp_path, questions=broken))
    assert "quiz/questions/diffusion.yaml: item 'diff-03': options -> 0 -> why: Field required" in message
    assert "options -> 0 -> wyh: Extra inputs are not permitted" in message


def test_bad_objective_id(tmp_path: Path) -> None:
    broken = SINGLE.replace('objective: "1.2.1"', 'objective: "9.9.9"')
    message = _error(load_questions, _tree(tmp_path, questions=broken))
    assert message.startswith("quiz/questions/diffusion.yaml: item 'diff-03': objective: "
                              "'9.9.9' is not an in-scope AI-901 objective")


def test_item_without_id_is_named_by_index(tmp_path: Path) -> None:
    second = SINGLE.replace("- id: diff-03\n", "- ").replace("  type: single", "type: single", 1)
    message = _error(load_questions, _tree(tmp_path, questions=SINGLE + second))
    assert message == "quiz/questions/diffusion.yaml: item #1 (no id): id: Field required"


def test_unknown_type(tmp_path: Path) -> None:
    broken = SINGLE.replace("type: single", "type: essay")
    message = _error(load_questions, _tree(tmp_path, questions=broken))
    assert message.startswith("quiz/questions/diffusion.yaml: item 'diff-03': (item): Input tag 'essay'")


def test_multi_count_and_stem_wording(tmp_path: Path) -> None:
    multi = textwrap.dedent("""\
        - id: multi-01
          type: multi
          objective: "1.2.1"
          lesson: diffusion
          source: A reference note.
          misconception: Something wrong.
          stem: Which two are true?
          select: 2
          options:
            - {id: a, text: One, correct: true, why: Correct. x}
            - {id: b, text: Two, correct: true, why: Correct. x}
            - {id: c, text: Three, correct: false, why: Wrong. x}
            - {id: d, text: Four, correct: false, why: Wrong. x}
        """)
    message = _error(load_questions, _tree(tmp_path, questions=multi))
    assert message == ("quiz/questions/diffusion.yaml: item 'multi-01': select: "
                       "select is 2 but the stem does not say 'Select TWO'")
    fixed = multi.replace("Which two are true?", "Which two are true? Select TWO.")
    three_correct = fixed.replace("Three, correct: false", "Three, correct: true")
    (tmp_path / "quiz/questions/diffusion.yaml").write_text(three_correct)
    message = _error(load_questions, tmp_path)
    assert message == ("quiz/questions/diffusion.yaml: item 'multi-01': options: "
                       "select is 2 but 3 options are correct")
    (tmp_path / "quiz/questions/diffusion.yaml").write_text(fixed)
    assert load_questions(tmp_path)[0].select == 2


def test_fill_needs_exactly_one_blank(tmp_path: Path) -> None:
    fill = textwrap.dedent("""\
        - id: fill-01
          type: fill
          objective: "2.3.2"
          lesson: diffusion
          source: A reference note.
          misconception: Something wrong.
          stem: Complete the code.
          code: |
            result = client.images.generate(model="img", prompt="p", size="1024x1024")
          options:
            - {id: a, text: b64_json, correct: true, why: Correct. x}
            - {id: b, text: url, correct: false, why: Wrong. x}
            - {id: c, text: image, correct: false, why: Wrong. x}
        """)
    message = _error(load_questions, _tree(tmp_path, questions=fill))
    assert message == ("quiz/questions/diffusion.yaml: item 'fill-01': code: "
                       "the code must contain exactly one ____ blank, found 0")


def test_yesno_needs_three_statements(tmp_path: Path) -> None:
    yesno = textwrap.dedent("""\
        - id: yn-01
          type: yesno
          objective: "1.1.5"
          lesson: responsible-ai
          source: A reference note.
          misconception: Something wrong.
          stem: Yes or no?
          statements:
            - {id: s1, text: One, answer: true, why: Yes. x}
            - {id: s2, text: Two, answer: false, why: No. x}
        """)
    message = _error(load_questions, _tree(tmp_path, questions=yesno))
    assert message.startswith(
        "quiz/questions/diffusion.yaml: item 'yn-01': statements: List should have at least 3")


def test_error_inside_a_case_study_names_the_nested_path(tmp_path: Path) -> None:
    sub_a = SINGLE.replace("- id: diff-03", "- id: case-01-a")
    sub_b = SINGLE.replace("- id: diff-03", "- id: case-01-b").replace("      why: Correct. Because.\n", "")
    case = textwrap.dedent("""\
        - id: case-01
          type: case
          objective: "1.3.1"
          lesson: vision-vs-generation
          source: A reference note.
          misconception: Something wrong.
          stem: A case
          scenario: A company wants pictures.
          items:
        """) + textwrap.indent(sub_a + sub_b, "    ")
    message = _error(load_questions, _tree(tmp_path, questions=case))
    assert message == ("quiz/questions/diffusion.yaml: item 'case-01': "
                       "items -> 1 -> options -> 0 -> why: Field required")


def test_duplicate_option_ids(tmp_path: Path) -> None:
    broken = SINGLE.replace("    - id: c\n", "    - id: b\n")
    message = _error(load_questions, _tree(tmp_path, questions=broken))
    assert message == "quiz/questions/diffusion.yaml: item 'diff-03': options: duplicate option id 'b'"


def test_yaml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    broken = SINGLE.replace("  stem: Which one?", "  stem: Which one?: no")
    message = _error(load_questions, _tree(tmp_path, questions=broken))
    assert message.startswith("quiz/questions/diffusion.yaml: YAML syntax error at line 7")


def test_top_level_must_be_a_list(tmp_path: Path) -> None:
    message = _error(load_questions, _tree(tmp_path, questions="id: diff-03\n"))
    assert message.startswith("quiz/questions/diffusion.yaml: expected a YAML list")


def test_flashcard_errors(tmp_path: Path) -> None:
    broken = CARDS.replace("  back: Back\n", "").replace("lesson: diffusion", "lesson: cooking")
    message = _error(load_flashcards, _tree(tmp_path, cards=broken))
    lines = message.splitlines()
    assert "quiz/flashcards.yaml: item 'fc-1': back: Field required" in lines
    assert any(line.startswith("quiz/flashcards.yaml: item 'fc-1': lesson: Input should be")
               for line in lines)


def test_duplicate_ids_across_files_are_reported(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    (root / "quiz/questions/vision.yaml").write_text(SINGLE)
    gaps = coverage_gaps(load_bank(root))
    assert ("Id 'diff-03' is used 2 times (in quiz/questions/diffusion.yaml, quiz/questions/vision.yaml)."
            in gaps)


def test_section_without_objectives_comment(tmp_path: Path) -> None:
    broken = LESSON.replace("<!-- objectives: 1.2.1 -->\n", "")
    message = _error(load_lessons, _tree(tmp_path, lesson=broken))
    assert message.startswith("content/lessons/01-test.md: section 'Second section' (line 15): objectives: ")
    assert "<!-- objectives: 1.2.1, 1.3.4 -->" in message


def test_section_with_unknown_objective(tmp_path: Path) -> None:
    broken = LESSON.replace("<!-- objectives: 1.2.1 -->", "<!-- objectives: 1.2.1, 3.1.1 -->")
    message = _error(load_lessons, _tree(tmp_path, lesson=broken))
    assert message == ("content/lessons/01-test.md: section 'Second section' (line 15): objectives: "
                       "'3.1.1' is not an in-scope AI-901 objective")


def test_section_tag_missing_from_front_matter(tmp_path: Path) -> None:
    broken = LESSON.replace("<!-- objectives: 1.2.1 -->", "<!-- objectives: 2.3.2 -->")
    message = _error(load_lessons, _tree(tmp_path, lesson=broken))
    assert message.startswith(
        "content/lessons/01-test.md: section 'Second section': objectives: 2.3.2 tagged")


def test_front_matter_errors_are_named(tmp_path: Path) -> None:
    broken = LESSON.replace("# no minutes: the reading time is computed from the words\n", "minutes: 5\n").replace(
        "slug: diffusion", "slug: cooking")
    message = _error(load_lessons, _tree(tmp_path, lesson=broken))
    lines = message.splitlines()
    assert any(line.startswith("content/lessons/01-test.md: front matter: slug: Input should be")
               for line in lines)
    # The reading time is computed from the words, so a hand-written one is refused.
    assert "content/lessons/01-test.md: front matter: minutes: Extra inputs are not permitted" in lines


def test_front_matter_bad_objective_and_missing_block(tmp_path: Path) -> None:
    broken = LESSON.replace('objectives: ["1.2.1", "1.3.4"]', 'objectives: ["1.2.1", "1.4.1"]')
    message = _error(load_lessons, _tree(tmp_path, lesson=broken))
    assert message.startswith("content/lessons/01-test.md: front matter: objectives -> 1: "
                              "'1.4.1' is not an in-scope AI-901 objective")
    (tmp_path / "content/lessons/01-test.md").write_text(LESSON.split("---\n", 2)[2])
    message = _error(load_lessons, tmp_path)
    assert message == "content/lessons/01-test.md: front matter: the file must start with a '---' line"


def test_text_before_first_section_and_image_without_alt(tmp_path: Path) -> None:
    broken = LESSON.replace("## First section", "An intro paragraph.\n\n## First section")
    message = _error(load_lessons, _tree(tmp_path, lesson=broken))
    assert message.startswith("content/lessons/01-test.md: line 10: text before the first '## ' section")
    (tmp_path / "content/lessons/01-test.md").write_text(LESSON.replace("More text.", "![](fox.png)"))
    message = _error(load_lessons, tmp_path)
    assert message == ("content/lessons/01-test.md: section 'Second section' (line 15): markdown: "
                       "an image has no alt text")


def test_heading_inside_code_fence_is_not_a_section(tmp_path: Path) -> None:
    fenced = LESSON.replace("More text.", "```markdown\n## not a section\n```")
    lessons = load_lessons(_tree(tmp_path, lesson=fenced))
    assert [s.title for s in lessons[0].sections] == ["First section", "Second section"]
    assert "## not a section" in lessons[0].sections[1].markdown
