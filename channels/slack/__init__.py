"""Slack: Events API messages and button clicks in, Web API blocks out (credentials.yml names
`channels.slack.SlackInput`). One job per module: connector (the Rasa channel), incoming (what a
request says), signature (is it from Slack), blocks (replies as Slack blocks), api (posting)."""

from channels.slack.connector import SlackInput

__all__ = ["SlackInput"]
