"""``python -m simulation``: see :mod:`simulation.cli`."""

import sys

from .cli.app import main

sys.exit(main())
