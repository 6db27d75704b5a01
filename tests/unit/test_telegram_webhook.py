"""The Telegram webhook's checks and settings: off without a token, the secret header, bad bodies."""

from __future__ import annotations

import json
import logging

import pytest

from channels.telegram.settings import DEFAULT_API_URL, SettingsError, TelegramSettings
from channels.telegram.webhook import MAX_BODY_BYTES, Refusal, check_request

ON = TelegramSettings(token="123456789:AAtest", webhook_secret="s3cret-token_1")
UPDATE = json.dumps({"update_id": 7, "message": {"text": "hi"}}).encode()


def test_without_a_token_the_channel_is_off() -> None:
    refusal = check_request(TelegramSettings(), "anything", UPDATE)
    assert refusal == Refusal(503, "the Telegram channel is off: TELEGRAM_TOKEN is not set")


@pytest.mark.parametrize(
    ("header", "status"), [(None, 401), ("", 403), ("s3cret-token_2", 403), ("s3cret-token_1 ", 403)]
)
def test_a_missing_or_wrong_secret_is_refused(header: str | None, status: int) -> None:
    refusal = check_request(ON, header, UPDATE)
    assert isinstance(refusal, Refusal)
    assert refusal.status == status


def test_the_right_secret_lets_the_update_through() -> None:
    assert check_request(ON, "s3cret-token_1", UPDATE) == {"update_id": 7, "message": {"text": "hi"}}


def test_without_a_secret_set_no_header_is_needed() -> None:
    assert check_request(TelegramSettings(token="1:x"), None, UPDATE)["update_id"] == 7


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"", 400),
        (b"{", 400),
        (b"\xff\xfe", 400),
        (b"[1, 2]", 400),
        (b'"text"', 400),
        (b"null", 400),
        (b"{}", 400),
        (b'{"update_id": "7"}', 400),
        (b'{"update_id": true}', 400),
        (b'{"update_id": 1, "pad": "' + b"x" * MAX_BODY_BYTES + b'"}', 413),
    ],
)
def test_bad_bodies_are_refused_with_a_4xx(body: bytes, status: int) -> None:
    refusal = check_request(ON, "s3cret-token_1", body)
    assert isinstance(refusal, Refusal)
    assert refusal.status == status


def test_settings_come_from_credentials_and_the_environment() -> None:
    settings = TelegramSettings.from_sources(
        {"api_url": "http://127.0.0.1:8081/"}, {"TELEGRAM_TOKEN": " 123:abc ", "TELEGRAM_WEBHOOK_SECRET": ""}
    )
    assert settings == TelegramSettings(api_url="http://127.0.0.1:8081", token="123:abc", webhook_secret=None)
    assert settings.bot_id == 123


def test_without_settings_telegram_itself_is_used_and_the_channel_is_off() -> None:
    assert TelegramSettings.from_sources(None, {}) == TelegramSettings(api_url=DEFAULT_API_URL)
    assert TelegramSettings().bot_id is None


@pytest.mark.parametrize("api_url", ["api.telegram.org", "ftp://x", 42, ["https://x"]])
def test_an_unusable_api_url_is_an_error_that_names_it(api_url: object) -> None:
    with pytest.raises(SettingsError, match="api_url"):
        TelegramSettings.from_sources({"api_url": api_url}, {})


def test_a_token_in_credentials_is_ignored_with_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        settings = TelegramSettings.from_sources({"access_token": "123:leaked"}, {})
    assert settings.token is None
    assert "TELEGRAM_TOKEN" in caplog.text
    assert "123:leaked" not in caplog.text


@pytest.mark.parametrize(
    ("secret", "valid"), [(None, True), ("abc_DEF-123", True), ("has space", False), ("x" * 257, False)]
)
def test_the_secret_must_be_one_telegram_accepts(secret: str | None, valid: bool) -> None:
    assert TelegramSettings(token="1:x", webhook_secret=secret).secret_is_valid() is valid
