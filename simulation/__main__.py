"""``python -m simulation``: see :mod:`simulation.cli`."""

import gc
import sys

from .cli.app import main

code = main()
# The process ends here: its memory goes back to the system at once, so the collector's last
# pass over everything still alive (a finished run's customers, events and tables) is skipped.
gc.freeze()
sys.exit(code)
