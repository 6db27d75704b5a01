"""The pictures file loads and validates, and names the right picture for each step, decided without Rasa."""

from __future__ import annotations

from pathlib import Path

import pytest

from kneadle import walkthrough
from kneadle.datafile import DataFileError
from kneadle.knowledge import Step, default_knowledge
from kneadle.messages import default_messages
from kneadle.pictures import DEFAULT_PICTURES_URL, PICTURES_PATH, Gallery, default_pictures, gallery_for, load_pictures
from kneadle.reply import Reply
from tests.conftest import write_file

GOOD = """\
pictures:
  - id: palm
    label: Palm
    alt: An open hand with the palm shaded.
    words:
      - palm of
      - on your palm
  - id: dazhui
    label: Dazhui point
    alt: The back of the neck with a dot below the bone that sticks out.
    words: [Dazhui]
"""

# Every place the issue lists, and the picture that shows it.
PLACES_IN_THE_ISSUE = {
    "the Jianjing point": "jianjing",
    "the Dazhui point": "dazhui",
    "beside the spine": "beside_spine",
    "the shoulder blades": "shoulder_blades",
    "the palm": "palm",
    "the wrist tendons": "wrist_tendons",
}

# Which steps get which pictures: (technique, step number) -> picture ids, in the order shown.
EXPECTED = {
    ("hand_self_massage", 3): ("palm",),
    ("hand_self_massage", 7): ("wrist_tendons",),
    ("jianjing_point_pinch", 1): ("jianjing",),
    ("waist_and_back_palm_circles", 1): ("beside_spine",),
    ("waist_and_back_palm_circles", 4): ("beside_spine",),
    ("spine_lift_and_pinch", 1): ("beside_spine",),
    ("back_points_press", 1): ("dazhui",),
    ("back_points_press", 2): ("dazhui",),
    ("dazhui_point_rub", 1): ("dazhui",),
    ("partner_back_massage_for_pain", 8): ("beside_spine",),
    ("partner_back_massage_for_pain", 9): ("beside_spine",),
    ("self_back_massage", 8): ("shoulder_blades", "beside_spine"),
}


def step(text: str, title: str = "A step") -> Step:
    return Step(title=title, text=text, movement="press")


def picture_ids(text: str, title: str = "A step") -> list[str]:
    return [picture.id for picture in default_pictures().for_step(step(text, title))]


def test_the_project_file_loads() -> None:
    pictures = load_pictures(PICTURES_PATH)
    assert set(pictures.pictures) == set(PLACES_IN_THE_ISSUE.values())
    assert all(picture.label and picture.alt and picture.words for picture in pictures.pictures.values())


def test_a_valid_file_loads(tmp_path: Path) -> None:
    pictures = load_pictures(write_file(tmp_path, "pictures.yml", GOOD))
    assert list(pictures.pictures) == ["palm", "dazhui"]
    assert pictures.pictures["palm"].words == ("palm of", "on your palm")
    assert pictures.pictures["dazhui"].label == "Dazhui point"


@pytest.mark.parametrize(
    ("old", "new", "line", "expected"),
    [
        ("    label: Palm\n", "", 2, "picture 'palm': 'label' is a required property"),
        ("words: [Dazhui]", "words: []", 11, "picture 'dazhui', field words: [] is too short"),
        ("words: [Dazhui]", "words: Dazhui", 11, "picture 'dazhui', field words: 'Dazhui' is not of type 'array'"),
        ("  - id: dazhui", "  - id: Dazhui Point", 8, "field id: 'Dazhui Point' does not match"),
        ("  - id: dazhui", "  - id: palm", 8, "picture 'palm', field id: id 'palm' is used twice"),
        ("    alt: An open", "    shape: round\n    alt: An open", 2, "picture 'palm': Additional properties"),
        ("      - on your palm", "      - ' on your palm'", 7, "field words[1]: ' on your palm' does not match"),
        ("words: [Dazhui]", "words: [Dazhui", 12, "not valid YAML"),
    ],
)
def test_a_broken_file_names_file_line_and_field(tmp_path: Path, old: str, new: str, line: int, expected: str) -> None:
    assert old in GOOD
    path = write_file(tmp_path, "pictures.yml", GOOD.replace(old, new))
    with pytest.raises(DataFileError) as caught:
        load_pictures(path)
    assert caught.value.path == path
    assert caught.value.line == line, str(caught.value)
    assert expected in str(caught.value)
    assert str(caught.value).startswith(f"{path}:{line}: ")


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="pictures.yml: cannot read the file"):
        load_pictures(tmp_path / "pictures.yml")


def test_every_place_the_issue_lists_has_a_picture_shown_on_some_step() -> None:
    shown = {picture_id for ids in EXPECTED.values() for picture_id in ids}
    for place, picture_id in PLACES_IN_THE_ISSUE.items():
        assert picture_id in default_pictures().pictures, place
        assert picture_id in shown, place


def test_each_step_gets_the_pictures_of_the_places_it_names() -> None:
    found = {}
    for technique in default_knowledge().techniques.values():
        for number, each in enumerate(technique.steps, 1):
            ids = tuple(picture.id for picture in default_pictures().for_step(each))
            if ids:
                found[(technique.id, number)] = ids
    assert found == EXPECTED


def test_every_picture_bearing_step_names_the_place_in_words_for_the_shell() -> None:
    """The shell and REST get no picture, so the step message itself must name the place."""
    knowledge, catalog = default_knowledge(), default_messages()
    for (technique_id, number), ids in EXPECTED.items():
        technique = knowledge.techniques[technique_id]
        text = Reply(catalog).say("step", **walkthrough.step_fields(catalog, technique, number))
        words_only = walkthrough.show_step(Reply(catalog), technique, number, None, True).messages
        assert all("image" not in message for message in words_only)
        for picture_id in ids:
            picture = default_pictures().pictures[picture_id]
            assert picture.first_named_in(text.messages[0]["text"]) is not None, (technique_id, number, picture_id)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Press your thumb into the palm of your other hand.", ["palm"]),
        ("Keep your whole palm in contact with the shoulder.", []),  # the massager's palm, not a place
        ("Turn one hand palm up.", []),
        ("Place your palm on the point and rub it.", []),
        ("Move your hand down one palm's width.", []),
        ("Find the JIANJING point.", ["jianjing"]),
        ("the muscles along the left side\nof their   spine", ["beside_spine"]),  # any spacing, any case
        ("Stay on the muscles beside the spines.", []),  # whole words only
        ("your shoulder blades and the sides of your spine", ["shoulder_blades", "beside_spine"]),
        ("the sides of your spine, then your shoulder blades", ["beside_spine", "shoulder_blades"]),
        ("Start near the wrist and work toward the fingers.", []),
        ("Rub your hands together briskly.", []),
    ],
)
def test_words_name_places_precisely(text: str, expected: list[str]) -> None:
    assert picture_ids(text) == expected


def test_the_step_title_counts_too() -> None:
    assert picture_ids("Move in small circles.", title="Thumb circles on your palm") == ["palm"]


@pytest.mark.parametrize("channel", ["socketio", "slack", "telegram"])
def test_image_channels_get_a_gallery(channel: str) -> None:
    gallery = gallery_for(channel, "https://pictures.example/kneadle/")
    assert gallery is not None
    assert gallery.url(default_pictures().pictures["palm"]) == "https://pictures.example/kneadle/palm.png"


@pytest.mark.parametrize("channel", ["cmdline", "rest", "callback", None, ""])
def test_other_channels_get_no_gallery(channel: str | None) -> None:
    assert gallery_for(channel, "https://pictures.example") is None


def test_without_a_setting_pictures_come_from_make_web() -> None:
    gallery = gallery_for("socketio", None)
    assert gallery is not None
    assert gallery.url(default_pictures().pictures["dazhui"]) == f"{DEFAULT_PICTURES_URL}/dazhui.png"
    assert DEFAULT_PICTURES_URL == "http://localhost:8080/pictures"


def test_a_step_is_preceded_by_its_picture_only_with_a_gallery() -> None:
    hand = default_knowledge().techniques["hand_self_massage"]
    gallery = Gallery(default_pictures(), "http://pics.test")
    shown = walkthrough.move(Reply(default_messages(), gallery=gallery), hand, 2, 1, None, True, None)
    palm = default_pictures().pictures["palm"]
    assert shown.messages[0] == {"image": "http://pics.test/palm.png", "alt_text": palm.alt}
    assert shown.messages[1]["text"].startswith("Step 3 of 10: Thumb circles on your palm")
    words_only = walkthrough.move(Reply(default_messages()), hand, 2, 1, None, True, None)
    assert words_only.messages[0]["text"] == shown.messages[1]["text"]
    assert all("image" not in message for message in words_only.messages)


def test_a_step_that_names_no_place_gets_no_picture() -> None:
    hand = default_knowledge().techniques["hand_self_massage"]
    gallery = Gallery(default_pictures(), "http://pics.test")
    shown = walkthrough.move(Reply(default_messages(), gallery=gallery), hand, 3, 1, None, True, None)
    assert shown.messages[0]["text"].startswith("Step 4 of 10")
    assert all("image" not in message for message in shown.messages)


def test_a_step_naming_two_places_shows_both_in_the_order_it_names_them() -> None:
    technique = default_knowledge().techniques["self_back_massage"]
    gallery = Gallery(default_pictures(), "http://pics.test")
    shown = walkthrough.show_step(Reply(default_messages(), gallery=gallery), technique, 8, None, True)
    images = [message["image"] for message in shown.messages if "image" in message]
    assert images == ["http://pics.test/shoulder_blades.png", "http://pics.test/beside_spine.png"]
    assert shown.messages[2]["text"].startswith("Step 8 of 9")
