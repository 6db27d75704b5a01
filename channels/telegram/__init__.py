"""Telegram: Bot API webhook updates in, messages with inline keyboards out (credentials.yml
names `channels.telegram.TelegramInput`). One job per module: connector (the Rasa channel),
settings, webhook (is the request acceptable), updates (what an update becomes), render (text and
keyboards), output (sending), api (the Bot API client), cli (`python -m channels.telegram`)."""

from channels.telegram.connector import TelegramInput

__all__ = ["TelegramInput"]
