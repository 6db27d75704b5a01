"""Telegram rendering: inline keyboards that fit a phone, button data within 64 bytes, plain links."""

from __future__ import annotations

import json

import pytest

from channels.telegram.render import (
    CALLBACK_DATA_LIMIT,
    TITLE_MARKER,
    callback_data,
    chunks,
    keyboard,
    plain_text,
    pressed_text,
    utf16_length,
)
from kneadle.messages import default_messages

LONG_PAYLOAD = (
    '/report_complaint{"body_region": "neck_shoulders", "symptom": "stiffness", "side": "left", "duration": "weeks"}'
)


def titles(markup: dict) -> list[list[str]]:
    return [[button["text"] for button in row] for row in markup["inline_keyboard"]]


def test_the_screening_question_has_all_nine_buttons_one_or_two_a_row() -> None:
    buttons = default_messages()["screening_question"].render()["buttons"]
    markup = keyboard(buttons)
    laid_out = titles(markup)
    assert [title for row in laid_out for title in row] == [button["title"] for button in buttons]
    assert len(buttons) == 9
    assert all(1 <= len(row) <= 2 for row in laid_out)
    assert laid_out[0] == ["None of these", "I'm pregnant"]
    assert ["I've been treated for a blood clot (DVT)"] in laid_out
    # Every payload fits, so each goes as it is: the phrases reach the NLU and the red-flag check.
    sent = [button["callback_data"] for row in markup["inline_keyboard"] for button in row]
    assert sent == [button["payload"] for button in buttons]


def test_short_buttons_share_a_row() -> None:
    step = default_messages()["step"]
    buttons = step.render(**dict.fromkeys(step.fields, "x"))["buttons"]
    assert titles(keyboard(buttons)) == [["Next", "Repeat", "Back", "Stop"]]


def test_no_row_is_wider_than_a_phone_or_has_more_than_four_buttons() -> None:
    buttons = [{"title": f"Choice {n}", "payload": f'/choose_technique{{"technique_id": "t{n}"}}'} for n in range(9)]
    buttons += [{"title": "A" * 40, "payload": "/deny"}, {"title": "B", "payload": "/affirm"}]
    laid_out = titles(keyboard(buttons))
    assert all(len(row) <= 4 for row in laid_out)
    assert ["A" * 40] in laid_out  # a long title has its row alone
    assert [title for row in laid_out for title in row] == [button["title"] for button in buttons]


def test_a_payload_that_fits_is_sent_as_it_is() -> None:
    assert callback_data("/next_step", "Next", 0) == "/next_step"
    assert callback_data("I'm pregnant", "I'm pregnant", 1) == "I'm pregnant"


def test_an_intent_payload_is_written_compactly_when_that_makes_it_fit() -> None:
    payload = '/report_complaint{"body_region": "neck_shoulders", "side": "left"}'
    assert len(payload.encode()) > CALLBACK_DATA_LIMIT
    data = callback_data(payload, "Neck and shoulders", 3)
    assert len(data.encode()) <= CALLBACK_DATA_LIMIT
    assert data == '/report_complaint{"body_region":"neck_shoulders","side":"left"}'
    assert json.loads(data[data.index("{") :]) == json.loads(payload[payload.index("{") :])


def test_a_payload_too_long_even_compact_sends_the_title_as_typed_text() -> None:
    assert len(LONG_PAYLOAD.encode()) > CALLBACK_DATA_LIMIT
    markup = keyboard(
        [{"title": "Hands", "payload": "/deny"}, {"title": "Neck and shoulders", "payload": LONG_PAYLOAD}]
    )
    hands, neck = markup["inline_keyboard"][0]
    assert hands["callback_data"] == "/deny"
    assert len(neck["callback_data"].encode()) <= CALLBACK_DATA_LIMIT
    assert neck["callback_data"].startswith(TITLE_MARKER)
    # The tap comes back with the message its keyboard is on; it stands for the title.
    assert pressed_text(neck["callback_data"], markup) == "Neck and shoulders"
    assert pressed_text(hands["callback_data"], markup) == "/deny"


def test_a_long_title_is_read_whole_from_the_keyboard_and_in_part_without_it() -> None:
    title = "My neck and both shoulders, mostly on the left side, since about three weeks"
    markup = keyboard([{"title": title, "payload": LONG_PAYLOAD}])
    [[button]] = markup["inline_keyboard"]
    data = button["callback_data"]
    assert len(data.encode()) <= CALLBACK_DATA_LIMIT
    assert pressed_text(data, markup) == title
    # A message too old for Telegram to send along with the tap: as much of the title as fits.
    partial = pressed_text(data, None)
    assert title.startswith(partial) and len(partial) > 40


def test_the_title_fallback_never_cuts_a_character_in_half() -> None:
    title = "Schultern und Nacken – beidseitig, überwiegend links 🙂🙂🙂🙂🙂"
    data = callback_data(LONG_PAYLOAD, title, 12)
    assert len(data.encode()) <= CALLBACK_DATA_LIMIT
    assert title.startswith(pressed_text(data, {}))


def test_buttons_with_the_same_long_title_prefix_send_different_data() -> None:
    prefix = "x" * 70
    markup = keyboard(
        [{"title": prefix + "1", "payload": LONG_PAYLOAD}, {"title": prefix + "2", "payload": LONG_PAYLOAD}]
    )
    first, second = (row[0] for row in markup["inline_keyboard"])
    assert first["callback_data"] != second["callback_data"]
    assert pressed_text(second["callback_data"], markup) == prefix + "2"


def test_a_payload_that_looks_like_the_marker_is_not_taken_for_it() -> None:
    data = callback_data(f"{TITLE_MARKER}5{TITLE_MARKER}oops", "Real title", 0)
    markup = {"inline_keyboard": [[{"text": "Real title", "callback_data": data}]]}
    assert pressed_text(data, markup) == "Real title"


def test_an_empty_payload_sends_the_title() -> None:
    data = callback_data("", "Just right", 1)
    assert pressed_text(data, {}) == "Just right"


@pytest.mark.parametrize("buttons", [[], [{"payload": "/deny"}], ["not a button"], [{"title": "  ", "payload": "/x"}]])
def test_unusable_buttons_give_no_keyboard(buttons: list) -> None:
    assert keyboard(buttons) is None


def test_a_url_button_opens_its_page() -> None:
    markup = keyboard([{"title": "Guide", "url": "https://example.org/guide", "type": "web_url"}])
    assert markup == {"inline_keyboard": [[{"text": "Guide", "url": "https://example.org/guide"}]]}


@pytest.mark.parametrize(
    ("markdown", "plain"),
    [
        ("📞 [Call 112](tel:112)", "📞 Call 112"),
        ("[Call the emergency number](tel:112)", "Call the emergency number (112)"),
        ("See [the guide](https://example.org/g).", "See the guide (https://example.org/g)."),
        ("[https://example.org](https://example.org)", "https://example.org"),
        ("[write to us](mailto:help@example.org)", "write to us (help@example.org)"),
        ("[odd](javascript:alert)", "odd"),
        ("No links [here] (at all)", "No links [here] (at all)"),
    ],
)
def test_markdown_links_become_plain_words(markdown: str, plain: str) -> None:
    assert plain_text(markdown) == plain


def test_long_text_is_split_at_paragraphs_within_telegrams_limit() -> None:
    paragraph = "Press gently along the muscle. " * 40
    text = "\n\n".join([paragraph.strip()] * 5)
    parts = chunks(text, limit=4096)
    assert len(parts) > 1
    assert all(utf16_length(part) <= 4096 for part in parts)
    assert " ".join(parts).split() == text.split()


def test_emoji_count_twice_towards_the_limit() -> None:
    parts = chunks("🙂" * 10, limit=8)
    assert parts == ["🙂" * 4, "🙂" * 4, "🙂" * 2]


def test_empty_text_gives_no_messages() -> None:
    assert chunks("  \n\n ") == []
