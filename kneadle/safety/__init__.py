"""Safety: clinical findings, red flags as rules over them, one question when unsure, and the gate.

- `words`: tokens and how a message's words match the data's (lemmas, endings, misspellings).
- `scope`: the scope rules, one function each: negated, resolved, long ago, someone else, asked about.
- `findings`: the findings of data/knowledge/findings.yml found in a message, with whose and when.
- `flags`: the red flags of data/knowledge/red_flags.yml, as rules over findings.
- `levels`: the triage levels, and what each means for massage.
- `policy`: `Safety.decide`, the one decision per message (escalate, ask, carry on), over the
  findings the conversation has added up; used by the Rasa policy in components/safety_policy.py.
- `gate`: the massage gate every action that gives steps goes through, and what a red flag does to
  a walk-through; used by the actions.
"""
