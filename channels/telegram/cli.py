"""Point Telegram at the webhook, or stop it: run once when the server's public address is known.

    .venv/bin/python -m channels.telegram set-webhook https://host/webhooks/telegram/webhook
    .venv/bin/python -m channels.telegram webhook-info
    .venv/bin/python -m channels.telegram delete-webhook

The token and webhook secret come from TELEGRAM_TOKEN and TELEGRAM_WEBHOOK_SECRET (the secret is
sent along, so Telegram adds it to every update); the Bot API address from credentials.yml.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from channels.telegram.api import ApiAnswer, BotApi
from channels.telegram.settings import (
    CREDENTIALS_SECTION,
    SECRET_VARIABLE,
    TOKEN_VARIABLE,
    SettingsError,
    TelegramSettings,
)

WEBHOOK_PATH = "/webhooks/telegram/webhook"
# The updates the channel reads; Telegram then sends no others.
ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m channels.telegram", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--credentials", type=Path, default=Path("credentials.yml"), help="where api_url is set (credentials.yml)"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    set_webhook = commands.add_parser("set-webhook", help="send Telegram's updates to this URL")
    set_webhook.add_argument("url", help=f"the public https URL of the webhook, ending in {WEBHOOK_PATH}")
    set_webhook.add_argument("--drop-pending-updates", action="store_true", help="forget updates not yet delivered")
    delete_webhook = commands.add_parser("delete-webhook", help="stop sending updates to the webhook")
    delete_webhook.add_argument("--drop-pending-updates", action="store_true", help="forget updates not yet delivered")
    commands.add_parser("webhook-info", help="show the webhook Telegram uses and its last error")
    return parser.parse_args(argv)


def load_settings(credentials: Path, environ: Mapping[str, str]) -> TelegramSettings:
    """The channel's settings as the server would read them."""
    tree: Any = {}
    if credentials.exists():
        tree = yaml.safe_load(credentials.read_text(encoding="utf-8")) or {}
    section = tree.get(CREDENTIALS_SECTION) if isinstance(tree, dict) else None
    return TelegramSettings.from_sources(section, environ)


def request_for(arguments: argparse.Namespace, settings: TelegramSettings) -> tuple[str, dict[str, Any]]:
    """The Bot API method and its parameters for a command."""
    if arguments.command == "set-webhook":
        payload: dict[str, Any] = {"url": arguments.url, "allowed_updates": ALLOWED_UPDATES}
        if settings.webhook_secret:
            payload["secret_token"] = settings.webhook_secret
        if arguments.drop_pending_updates:
            payload["drop_pending_updates"] = True
        return "setWebhook", payload
    if arguments.command == "delete-webhook":
        return "deleteWebhook", {"drop_pending_updates": bool(arguments.drop_pending_updates)}
    return "getWebhookInfo", {}


def warnings_for(arguments: argparse.Namespace, settings: TelegramSettings) -> list[str]:
    found = []
    if arguments.command == "set-webhook":
        if not arguments.url.startswith("https://"):
            found.append("Telegram only calls https webhooks (a self-hosted Bot API server may allow http)")
        if not arguments.url.rstrip("/").endswith(WEBHOOK_PATH):
            found.append(f"the Kneadle server takes updates at {WEBHOOK_PATH}")
        if not settings.webhook_secret:
            found.append(f"{SECRET_VARIABLE} is not set: the webhook will accept updates from anyone")
    return found


def main(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    arguments = parse_arguments(argv)
    try:
        settings = load_settings(arguments.credentials, os.environ if environ is None else environ)
    except (SettingsError, yaml.YAMLError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if not settings.token:
        print(f"error: set {TOKEN_VARIABLE} to the token BotFather gave you", file=sys.stderr)
        return 2
    if not settings.secret_is_valid():
        print(f"error: {SECRET_VARIABLE} may only hold A-Z, a-z, 0-9, _ and - (1-256 characters)", file=sys.stderr)
        return 2
    for warning in warnings_for(arguments, settings):
        print(f"warning: {warning}", file=sys.stderr)
    method, payload = request_for(arguments, settings)
    answer: ApiAnswer = asyncio.run(BotApi(settings.api_url, settings.token).request(method, payload))
    if not answer.ok:
        print(f"error: Telegram {method} failed: {answer.error_code or ''} {answer.description}", file=sys.stderr)
        return 1
    if method == "getWebhookInfo":
        print(json.dumps(answer.result, indent=2, ensure_ascii=False))
    else:
        print(answer.description or f"{method}: ok")
    return 0
