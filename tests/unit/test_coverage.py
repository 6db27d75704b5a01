"""Every numbered step or section of every source article maps to a knowledge entry.

The table lists each section of the five articles in shared/seeds, with a phrase that proves
the section is in the article. A section no entry cites fails the test, so nothing from the
sources is silently dropped; a phrase missing from its article means the table drifted.
"""

from __future__ import annotations

import pytest

from kneadle.knowledge import default_knowledge
from tests.conftest import SEEDS_DIR

HAND, BACK_POINTS, NUMB_BACK, PAIN, SELF_BACK = "000", "001", "002", "003", "004"

# (article, section label as cited in the knowledge file, phrase from the article)
SECTIONS = [
    (HAND, "Introduction", "effective way to relieve numbness in the hands"),
    (HAND, "Step 1: Find a Comfortable Position", "Step 1: Find a Comfortable Position"),
    (HAND, "Step 2: Warm-Up", "Step 2: Warm-Up"),
    (HAND, "Step 3: Thumb Pressure on Palm", "Step 3: Thumb Pressure on Palm"),
    (HAND, "Step 4: Finger Squeezing", "Step 4: Finger Squeezing"),
    (HAND, "Step 5: Thumb Circles on Back of Hand", "Step 5: Thumb Circles on Back of Hand"),
    (HAND, "Step 6: Stretching the Fingers", "Step 6: Stretching the Fingers"),
    (HAND, "Step 7: Wrist Flexor Massage", "Step 7: Wrist Flexor Massage"),
    (HAND, "Step 8: Shake it Off", "Step 8: Shake it Off"),
    (HAND, "Step 9: Repeat on the Other Hand", "Step 9: Repeat on the Other Hand"),
    (HAND, "Step 10: Perform Regularly", "Step 10: Perform Regularly"),
    (HAND, "Closing note", "consult a healthcare professional"),
    (BACK_POINTS, "Introduction", "back massage methods"),
    (BACK_POINTS, "1. Pinch the Jianjing point", "1. Pinch the Jianjing point"),
    (BACK_POINTS, "2. Massage your waist and back", "2. Massage your waist and back"),
    (BACK_POINTS, "3. Lift and pinch the spine", "3. Lift and pinch the spine"),
    (BACK_POINTS, "4. Press the back points", "4. Press the back points"),
    (BACK_POINTS, "5. Rub Dazhui", "5. Rub Dazhui"),
    (NUMB_BACK, "Introduction", "Numbness in the back may be caused"),
    (NUMB_BACK, "1. Causes of numbness in the back", "1. Causes of numbness in the back"),
    (NUMB_BACK, "1. Causes of numbness in the back: (1) Improper sleeping position", "(1) Improper sleeping position"),
    (NUMB_BACK, "1. Causes of numbness in the back: (2) Improper working posture", "(2) Improper working posture"),
    (
        NUMB_BACK,
        "1. Causes of numbness in the back: (3) Inappropriate physical exercise",
        "(3) Inappropriate physical exercise",
    ),
    (NUMB_BACK, "2. How to relieve numbness in the back", "2. How to relieve numbness in the back"),
    (
        NUMB_BACK,
        "2. How to relieve numbness in the back: (1) Manual massage therapy",
        "(1) Manual massage therapy",
    ),
    (
        NUMB_BACK,
        "2. How to relieve numbness in the back: (2) Warm and hot compress",
        "(2) Warm and hot compress",
    ),
    (PAIN, "Introduction", "Massages are one of the best allies to relieve back pain"),
    (PAIN, "Basic massage tips for back pain relief", "Basic massage tips for back pain relief"),
    (PAIN, "Distribute the oil correctly on the back", "Distribute the oil correctly on the back"),
    (PAIN, "Massage techniques to relieve back pain", "perform percussion movements"),
    (PAIN, "1. Kneading technique", "1. Kneading technique"),
    (PAIN, "2. Muscle lifting technique", "2. Muscle lifting technique"),
    (PAIN, "3. Fan technique", "3. Fan technique"),
    (PAIN, "4. Massages in the opposite direction", "4. Massages in the opposite direction"),
    (
        PAIN,
        "Relieve short-term pain with the help of these back pain massages",
        "Relieve short-term pain with the help of these back pain massages",
    ),
    (SELF_BACK, "Introduction", "Experience the rejuvenating power of a back massage"),
    (SELF_BACK, "Setting the scene", "creating a tranquil and comfortable sanctuary"),
    (SELF_BACK, "Self back massage", "placing your hands on the base of your spine"),
    (SELF_BACK, "How To Do A Back Massage", "How To Do A Back Massage"),
    (SELF_BACK, "Tip 1: Start by warming up the muscles", "1. Start by warming up the muscles"),
    (SELF_BACK, "Tip 2: Use long, flowing strokes", "2. Use long, flowing strokes"),
    (SELF_BACK, "Tip 3: Focus on the areas that are most tense", "3. Focus on the areas that are most tense"),
    (SELF_BACK, "Tip 4: Use oil or lotion", "4. Use oil or lotion"),
    (SELF_BACK, "Tip 5: Check in with the person you're massaging", "5. Check in with the person you"),
    (
        SELF_BACK,
        "People Also Ask: How long should a back massage last?",
        "How long should a back massage last?",
    ),
    (
        SELF_BACK,
        "People Also Ask: What are the benefits of a back massage?",
        "What are the benefits of a back massage?",
    ),
    (
        SELF_BACK,
        "People Also Ask: What are some contraindications for a back massage?",
        "What are some contraindications for a back massage?",
    ),
    (
        SELF_BACK,
        "People Also Ask: How often should I get a back massage?",
        "How often should I get a back massage?",
    ),
]


def cited_sections() -> dict[str, set[str]]:
    """Article prefix -> every section label some technique or advice cites from it."""
    knowledge = default_knowledge()
    cited: dict[str, set[str]] = {}
    for entry in [*knowledge.techniques.values(), *knowledge.advice.values()]:
        cited.setdefault(entry.source.file[:3], set()).update(entry.source.sections)
    return cited


@pytest.mark.parametrize(("article", "section", "phrase"), SECTIONS, ids=[f"{a}:{s}" for a, s, _ in SECTIONS])
def test_every_section_is_covered(article: str, section: str, phrase: str) -> None:
    assert section in cited_sections().get(article, set()), f"no knowledge entry covers {article} {section!r}"
    if SEEDS_DIR.is_dir():
        (text,) = [p.read_text(encoding="utf-8") for p in SEEDS_DIR.glob(f"{article}_*.txt")]
        assert phrase.replace("’", "'") in text.replace("’", "'"), f"{phrase!r} is not in article {article}"


def test_the_table_lists_every_cited_section() -> None:
    listed = {(article, section) for article, section, _ in SECTIONS}
    cited = {(article, section) for article, sections in cited_sections().items() for section in sections}
    assert cited <= listed, f"cited but not in the coverage table: {sorted(cited - listed)}"
