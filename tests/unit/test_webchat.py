"""The web widget channel's checks of its settings and of what clients send (channels/webchat.py)."""

from __future__ import annotations

import pytest

from channels.handling import MAX_METADATA_CHARS, cut, metadata_of
from channels.webchat import DEFAULT_ORIGINS, WebchatInput, allowed_origins, kept_session_id, message_text


def test_origins_default_to_the_example_page() -> None:
    assert allowed_origins(None) == list(DEFAULT_ORIGINS)


def test_origins_are_normalised_to_what_browsers_send() -> None:
    assert allowed_origins(["https://www.example.org/", " http://localhost:8080 "]) == [
        "https://www.example.org",
        "http://localhost:8080",
    ]
    assert allowed_origins("https://www.example.org") == ["https://www.example.org"]
    assert allowed_origins([]) == []


@pytest.mark.parametrize("bad", [["*"], ["https://www.example.org/chat"], ["www.example.org"], ["ftp://x"], {"a": 1}])
def test_an_origin_that_would_match_everything_or_nothing_stops_start_up(bad: object) -> None:
    with pytest.raises(ValueError, match="cors_allowed_origins"):
        allowed_origins(bad)


def test_the_channel_keeps_rasas_name_and_its_settings() -> None:
    channel = WebchatInput.from_credentials(
        {"session_persistence": True, "metadata_key": "customData", "cors_allowed_origins": ["https://a.example"]}
    )
    assert channel.name() == "socketio"  # domain channel variants and actions/walkthrough.py use it
    assert channel.session_persistence and channel.metadata_key == "customData"
    assert channel.cors_allowed_origins == ["https://a.example"]
    assert channel.max_message_length == 2000


def test_only_a_non_blank_string_is_a_message() -> None:
    assert message_text({"message": "hi"}) == "hi"
    for data in ({}, {"message": None}, {"message": 42}, {"message": ["hi"]}, {"message": " \n "}):
        assert message_text(data) is None


def test_a_long_message_is_cut_at_a_word_near_the_limit() -> None:
    assert cut("short", 10) == "short"
    assert cut("one two three four", 12) == "one two thre"  # the last space is too far back (7 < 0.8 * 12)
    assert cut("aaaa bbbbbbbbbbbbbbbb", 10) == "aaaa bbbbb"
    assert cut("abcdefghij klm", 12) == "abcdefghij"
    assert all(len(cut("word " * 1000, limit)) <= limit for limit in (1, 7, 2000))


def test_metadata_is_a_small_dict_or_nothing() -> None:
    assert metadata_of({"language": "en"}) == {"language": "en"}
    assert metadata_of('{"language": "en"}') == {"language": "en"}
    for raw in (None, "not json", "[1, 2]", '"text"', 42, ["a"], {"x": "y" * MAX_METADATA_CHARS}):
        assert metadata_of(raw) == {}


def test_a_kept_session_id_must_be_a_well_formed_string() -> None:
    assert kept_session_id({"session_id": "0123456789abcdef0123456789abcdef"}) == "0123456789abcdef0123456789abcdef"
    for data in (None, "0123456789abcdef", {"session_id": None}, {"session_id": "short"}, {"session_id": ["x"]},
                 {"session_id": "has spaces in it, which is wrong"}, {"session_id": "x" * 129}):  # fmt: skip
        assert kept_session_id(data) is None
