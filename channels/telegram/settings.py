"""The Telegram channel's settings: the API address from credentials.yml, secrets from the environment.

The token is a secret, so it never sits in credentials.yml; without it the channel is off and the
rest of the server runs as usual.
"""

from __future__ import annotations

import hmac
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

logger = logging.getLogger(__name__)

CREDENTIALS_SECTION = "channels.telegram.TelegramInput"
TOKEN_VARIABLE = "TELEGRAM_TOKEN"
SECRET_VARIABLE = "TELEGRAM_WEBHOOK_SECRET"
DEFAULT_API_URL = "https://api.telegram.org"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Telegram's rule for the webhook's secret_token.
SECRET_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
KNOWN_SETTINGS = frozenset({"api_url"})
SECRET_SETTINGS = frozenset({"access_token", "token", "secret_token", "webhook_secret"})


class SettingsError(ValueError):
    """credentials.yml gives the channel a setting it cannot use."""


@dataclass(frozen=True)
class TelegramSettings:
    api_url: str = DEFAULT_API_URL
    token: str | None = None
    webhook_secret: str | None = None

    @classmethod
    def from_sources(cls, credentials: Mapping[str, Any] | None, environ: Mapping[str, str]) -> TelegramSettings:
        """Settings from the credentials.yml section and the environment (empty counts as unset)."""
        credentials = credentials or {}
        if not isinstance(credentials, Mapping):
            raise SettingsError(f"{CREDENTIALS_SECTION} in credentials.yml must be a mapping of settings")
        for key in sorted(set(credentials) & SECRET_SETTINGS):
            logger.warning(
                "Telegram: ignoring '%s' in credentials.yml; secrets come from %s and %s",
                key,
                TOKEN_VARIABLE,
                SECRET_VARIABLE,
            )
        for key in sorted(set(credentials) - KNOWN_SETTINGS - SECRET_SETTINGS):
            logger.warning("Telegram: unknown setting '%s' in credentials.yml (known: api_url)", key)
        api_url = credentials.get("api_url") or DEFAULT_API_URL
        if not isinstance(api_url, str) or not api_url.startswith(("https://", "http://")):
            raise SettingsError(f"{CREDENTIALS_SECTION}: api_url must be an http(s) URL, got {api_url!r}")
        return cls(
            api_url=api_url.rstrip("/"),
            token=(environ.get(TOKEN_VARIABLE) or "").strip() or None,
            webhook_secret=(environ.get(SECRET_VARIABLE) or "").strip() or None,
        )

    @property
    def bot_id(self) -> int | None:
        """The bot's own user id: the token starts with it ("123456789:AA..."), so no getMe is needed."""
        head, _, _ = (self.token or "").partition(":")
        return int(head) if head.isdigit() else None

    def secret_is_valid(self) -> bool:
        return self.webhook_secret is None or bool(SECRET_PATTERN.match(self.webhook_secret))

    def secret_matches(self, header: str | None) -> bool:
        """Whether a request carries the webhook secret (always true when none is set)."""
        if self.webhook_secret is None:
            return True
        return header is not None and hmac.compare_digest(header.encode(), self.webhook_secret.encode())
