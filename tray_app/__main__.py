"""`python -m tray_app ARGS` is `sitbreak ARGS`."""

import sys

from tray_app.cli import main

sys.exit(main())
