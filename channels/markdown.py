"""The one piece of markdown the bot's messages carry: links, "[Call 112](tel:112)" (the
escalation's number on the web widget and Slack). Each channel renders them its own way."""

import re

# [words](target): the words, and a target without spaces or brackets.
MARKDOWN_LINK = re.compile(r"\[([^\[\]\n]+)\]\(([^()\s]+)\)")
