"""The set-webhook command, run in-process against the fake Bot API."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from channels.telegram.cli import ALLOWED_UPDATES, main
from tests.integration.fake_telegram import FakeTelegram

TOKEN = "123456789:AAcli-test"
URL = "https://bot.example.org/webhooks/telegram/webhook"


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram(TOKEN) as fake:
        yield fake


@pytest.fixture
def credentials(tmp_path: Path, fake: FakeTelegram) -> Path:
    path = tmp_path / "credentials.yml"
    path.write_text(f"rest:\nchannels.telegram.TelegramInput:\n  api_url: {fake.url}\n", encoding="utf-8")
    return path


def run(credentials: Path, *args: str, **environ: str) -> int:
    return main(["--credentials", str(credentials), *args], environ)


def test_set_webhook_sends_the_url_the_secret_and_the_updates_read(fake: FakeTelegram, credentials: Path) -> None:
    assert run(credentials, "set-webhook", URL, TELEGRAM_TOKEN=TOKEN, TELEGRAM_WEBHOOK_SECRET="s3cret") == 0
    [call] = fake.calls("setWebhook")
    assert call.body == {"url": URL, "secret_token": "s3cret", "allowed_updates": ALLOWED_UPDATES}


def test_without_a_secret_it_warns(fake: FakeTelegram, credentials: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(credentials, "set-webhook", URL, "--drop-pending-updates", TELEGRAM_TOKEN=TOKEN) == 0
    assert fake.calls("setWebhook")[0].body["drop_pending_updates"] is True
    assert "secret_token" not in fake.calls("setWebhook")[0].body
    assert "TELEGRAM_WEBHOOK_SECRET is not set" in capsys.readouterr().err


def test_webhook_info_and_delete(fake: FakeTelegram, credentials: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(credentials, "set-webhook", URL, TELEGRAM_TOKEN=TOKEN)
    assert run(credentials, "webhook-info", TELEGRAM_TOKEN=TOKEN) == 0
    assert URL in capsys.readouterr().out
    assert run(credentials, "delete-webhook", TELEGRAM_TOKEN=TOKEN) == 0
    assert [call.method for call in fake.calls()] == ["setWebhook", "getWebhookInfo", "deleteWebhook"]


def test_without_a_token_nothing_is_sent(
    fake: FakeTelegram, credentials: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(credentials, "set-webhook", URL) == 2
    assert "TELEGRAM_TOKEN" in capsys.readouterr().err
    assert fake.calls() == []


def test_a_secret_telegram_would_refuse_is_caught_first(fake: FakeTelegram, credentials: Path) -> None:
    assert run(credentials, "set-webhook", URL, TELEGRAM_TOKEN=TOKEN, TELEGRAM_WEBHOOK_SECRET="not ok!") == 2
    assert fake.calls() == []


def test_telegrams_refusal_is_reported(
    fake: FakeTelegram, credentials: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(credentials, "set-webhook", URL, TELEGRAM_TOKEN="123456789:wrong") == 1
    error = capsys.readouterr().err
    assert "401 Unauthorized" in error
    assert "wrong" not in error
