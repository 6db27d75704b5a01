"""Slack rendering of the bot's responses: escaping, links, rows of buttons, limits, and back."""

from __future__ import annotations

import logging
from typing import Any

import pytest
import yaml

from channels.slack.blocks import (
    BUTTON_VALUE_LIMIT,
    SECTION_TEXT_LIMIT,
    image_message,
    plain_text,
    split_mrkdwn,
    text_messages,
    to_mrkdwn,
)
from kneadle.messages import default_messages
from tests.conftest import PROJECT_ROOT


def buttons_of(message: dict[str, Any]) -> list[dict[str, Any]]:
    return [element for block in message["blocks"] if block["type"] == "actions" for element in block["elements"]]


def test_text_is_escaped_for_slack() -> None:
    assert to_mrkdwn("Salt & pepper <b> 3 > 2") == "Salt &amp; pepper &lt;b&gt; 3 &gt; 2"


def test_the_escalation_link_becomes_a_slack_tel_link() -> None:
    # The domain's escalation paragraph, as utter_red_flag fills it in.
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    template = next(v["text"] for v in domain["responses"]["utter_red_flag"] if "tel:" in v["text"])
    text = template.format(red_flag_message="🚨 Please call 112 now & wait.", emergency_number="112")

    (message,) = text_messages(text)

    assert message["blocks"][0]["text"] == {
        "type": "mrkdwn",
        "text": "🚨 Please call 112 now &amp; wait.\n\n📞 <tel:112|Call 112>",
    }
    assert message["text"] == message["blocks"][0]["text"]["text"]


def test_link_labels_and_addresses_are_escaped_and_cannot_break_the_link() -> None:
    assert to_mrkdwn("[a < b](https://x.example/?q=1&r=2)") == "<https://x.example/?q=1&amp;r=2|a &lt; b>"
    assert to_mrkdwn("[pipe](https://x.example/a|b)") == "<https://x.example/a%7Cb|pipe>"
    assert to_mrkdwn("not a link [x] (y)") == "not a link [x] (y)"


def test_the_screening_question_puts_all_nine_buttons_in_rows_of_five() -> None:
    question = default_messages()["screening_question"].render()

    (message,) = text_messages(question["text"], question["buttons"])

    assert message["blocks"][0]["type"] == "section"
    rows = [block["elements"] for block in message["blocks"] if block["type"] == "actions"]
    assert [len(row) for row in rows] == [5, 4]
    buttons = buttons_of(message)
    assert [b["value"] for b in buttons] == [b["payload"] for b in question["buttons"]]
    assert [b["text"]["text"] for b in buttons] == [b["title"] for b in question["buttons"]]
    assert len({b["action_id"] for b in buttons}) == 9
    assert message["text"].startswith("I'm not a doctor")


def test_a_long_payload_is_kept_whole_and_one_too_long_for_slack_is_left_out_loudly(
    caplog: pytest.LogCaptureFixture,
) -> None:
    longest = "x" * BUTTON_VALUE_LIMIT
    buttons = [{"title": "Fits", "payload": longest}, {"title": "Too long", "payload": longest + "y"}]

    with caplog.at_level(logging.ERROR):
        (message,) = text_messages("Pick one", buttons)

    assert [b["value"] for b in buttons_of(message)] == [longest]
    assert "Too long" in caplog.text


def test_a_long_label_is_shortened_with_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        (message,) = text_messages("Pick", [{"title": "L" * 100, "payload": "/x"}])
    (button,) = buttons_of(message)
    assert len(button["text"]["text"]) == 75 and button["text"]["text"].endswith("…")
    assert button["value"] == "/x"
    assert "shortened" in caplog.text


def test_long_text_is_split_into_sections_at_paragraphs_without_losing_words() -> None:
    paragraphs = [f"Paragraph {n} " + "word " * 150 for n in range(12)]
    text = "\n\n".join(p.strip() for p in paragraphs)

    (message,) = text_messages(text, [{"title": "Next", "payload": "/next_step"}])

    sections = [b["text"]["text"] for b in message["blocks"] if b["type"] == "section"]
    assert len(sections) > 1
    assert all(len(section) <= SECTION_TEXT_LIMIT for section in sections)
    assert " ".join(" ".join(sections).split()) == " ".join(text.split())
    assert message["blocks"][-1]["type"] == "actions"


def test_a_split_never_cuts_a_link_or_an_escaped_character() -> None:
    text = "a" * 2990 + " [Call 112](tel:112) &&&&"
    pieces = split_mrkdwn(to_mrkdwn(text))
    assert all(len(piece) <= SECTION_TEXT_LIMIT for piece in pieces)
    assert "<tel:112|Call 112>" in "".join(pieces)
    unbroken = "b" * 2998 + "&<>"
    assert "".join(split_mrkdwn(to_mrkdwn(unbroken))) == to_mrkdwn(unbroken)


def test_a_very_long_text_becomes_several_messages_with_the_buttons_on_the_last() -> None:
    text = "\n\n".join("word " * 500 for _ in range(40))  # 100,000 characters

    messages = text_messages(text, [{"title": "Next", "payload": "/next_step"}])

    assert len(messages) > 1
    assert all(len(m["blocks"]) <= 50 and len(m["text"]) <= 40000 for m in messages)
    assert [bool(buttons_of(m)) for m in messages] == [False] * (len(messages) - 1) + [True]


def test_an_image_has_alt_text() -> None:
    message = image_message("https://example.org/img/neck-stretch_2.png")
    assert message["blocks"] == [
        {"type": "image", "image_url": "https://example.org/img/neck-stretch_2.png", "alt_text": "neck stretch 2"}
    ]
    assert image_message("https://example.org/a.png", "A hand")["blocks"][0]["alt_text"] == "A hand"


@pytest.mark.parametrize(
    ("slack_text", "read"),
    [
        ("<@U0BOT> my neck is stiff", "my neck is stiff"),
        ("my neck &amp; shoulders &lt;3", "my neck & shoulders <3"),
        ("see <https://example.org|this page> and <https://example.org/x>", "see this page and https://example.org/x"),
        ("<!here> <#C123|general> hi", "general hi"),
    ],
)
def test_slack_markup_in_what_a_person_types_is_read_as_text(slack_text: str, read: str) -> None:
    assert plain_text(slack_text) == read
