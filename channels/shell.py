"""Kneadle in the terminal: a client of the Rasa server's REST channel that shows buttons as
numbered choices. Type a number to press one, or your own words; `/stop` or Ctrl-D leaves.

Rasa's own `rasa shell` shows buttons as an arrow-key menu with their payloads, and cuts a
payload at its last "(" (so "I've been treated for a blood clot (DVT)" would send "DVT)").
Usage: python -m channels.shell --url http://127.0.0.1:5005 --sender me
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import Any

import requests

from channels.markdown import MARKDOWN_LINK
from kneadle.messages import Catalog, default_messages

EXIT_COMMAND = "/stop"
REQUEST_TIMEOUT_SECONDS = 120


def render(message: dict[str, Any]) -> str:
    """One bot message as terminal text: links as their words, buttons as numbered choices.
    Pictures are left out: the step's text names the place in words."""
    lines = [MARKDOWN_LINK.sub(r"\1", message["text"])] if message.get("text") else []
    lines += [f"  {number}) {button['title']}" for number, button in enumerate(message.get("buttons") or [], 1)]
    return "\n".join(lines)


def what_to_send(typed: str, buttons: Sequence[dict[str, str]]) -> str:
    """The payload of the numbered button the person typed, else their words as typed."""
    typed = typed.strip()
    if typed.isdigit() and 1 <= int(typed) <= len(buttons):
        return buttons[int(typed) - 1]["payload"]
    return typed


def chat(url: str, sender: str, catalog: Catalog, read: Callable[[str], str] = input) -> None:
    """Read a line, send it, print the replies, until /stop or end of input."""
    print(catalog["shell_welcome"].text)
    buttons: list[dict[str, str]] = []
    while True:
        try:
            typed = read("> ")
        except (EOFError, KeyboardInterrupt):
            print()
            return
        if typed.strip() == EXIT_COMMAND:
            return
        message = what_to_send(typed, buttons)
        if not message:
            continue
        try:
            response = requests.post(
                f"{url}/webhooks/rest/webhook",
                json={"sender": sender, "message": message},
                timeout=REQUEST_TIMEOUT_SECONDS,
            )
            response.raise_for_status()
        except requests.RequestException as error:
            print(catalog.text("shell_unreachable", error=str(error)), file=sys.stderr)
            continue
        replies = [reply for reply in response.json() if isinstance(reply, dict)]
        for reply in replies:
            print(render(reply))
        buttons = next((reply["buttons"] for reply in reversed(replies) if reply.get("buttons")), [])
        if buttons:
            print(catalog["shell_choices_hint"].text)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:5005", help="the Rasa server")
    parser.add_argument("--sender", required=True, help="the conversation id (kept across runs)")
    args = parser.parse_args(argv)
    chat(args.url.rstrip("/"), args.sender, default_messages())


if __name__ == "__main__":
    main()
