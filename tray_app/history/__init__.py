"""The history: one SQLite file of events plus per-day totals, shared by the app and the CLI.

`opening` connects, upgrades and repairs the file; `store` reads and writes it; `totals` keeps
the per-day totals; `csv_io` exports and imports; `writer` is the app's background writer;
`statistics` reads a period.
"""

from tray_app.history.schema import SCHEMA_VERSION
from tray_app.history.store import History, HistoryUnavailable

__all__ = ["SCHEMA_VERSION", "History", "HistoryUnavailable"]
