"""Kneadle's custom actions, served by `rasa run actions`.

Importing the package loads the knowledge, messages, findings and red-flag files, so a malformed
file stops the action server at start-up with a message naming the file and line.
"""

from kneadle.knowledge import default_knowledge
from kneadle.messages import default_messages
from kneadle.safety.flags import default_red_flags

default_knowledge()
default_messages()
default_red_flags()
