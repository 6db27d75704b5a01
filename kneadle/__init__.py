"""Kneadle's plain-Python core: data files, knowledge, selection and step-walking.

Nothing here imports Rasa, so the action server and the Rasa server's NLU components
can both use it and ship as separate images without copying code.
"""
