"""Run sitbreak from a checkout: `python main.py ARGS` is `sitbreak ARGS`."""

import sys

from tray_app.cli import main

if __name__ == "__main__":
    sys.exit(main())
