"""Kneadle's own Rasa components, named in config.yml by module path.

Rasa imports this package when it loads the model, in every Rasa server process: that is where
the fixes for two of Rasa's hot paths are switched on (components/speedups.py).
"""

from components.speedups import install

install()
