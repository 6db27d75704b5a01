"""Kneadle's own Rasa channel connectors, named in credentials.yml (`channels.<module>.<Class>`).

Each renders the same domain responses and message payloads for its platform; none holds
conversation state (that is in the tracker), so any replica can answer any request.
"""
