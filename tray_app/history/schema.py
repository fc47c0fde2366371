"""The history file's layout by version, and the steps that upgrade one version to the next."""

from __future__ import annotations

SCHEMA_VERSION = 4

# The first released layout: no category or detail. Kept so migrations (and their tests) are real.
DDL_V1 = """
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    wall REAL NOT NULL,
    kind TEXT NOT NULL,
    duration_s REAL NOT NULL DEFAULT 0,
    exercise_id TEXT NULL
);
CREATE INDEX events_wall ON events (wall);
PRAGMA user_version = 1;
"""

_EVENTS_V2 = """
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    wall REAL NOT NULL,
    kind TEXT NOT NULL,
    duration_s REAL NOT NULL DEFAULT 0,
    exercise_id TEXT NULL,
    category TEXT NULL,
    detail TEXT NULL
);
CREATE INDEX events_wall ON events (wall);
"""

# v3: per-day totals that outlive the raw events (history.keep_days prunes only events), the
# wall time up to which events are folded into them, and the checkpoint of the open stretch.
_TABLES_V3 = """
CREATE TABLE daily_totals (
    day TEXT PRIMARY KEY,
    totals TEXT NOT NULL
);
CREATE TABLE totals_meta (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    folded_until REAL NOT NULL,
    day_starts INTEGER NOT NULL
);
CREATE TABLE open_stretch (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    wall REAL NOT NULL,
    duration_s REAL NOT NULL
);
"""

# v4: the totals gained minutes by exercise. `exercises_from` (a wall time, or NULL when
# nothing is pending) is where filling them in from the raw events continues, for the days
# already folded. Only that figure is replaced, and only on days that still have raw events:
# a day whose events were pruned keeps its other totals and has no minutes by exercise.
_EXERCISES_V4 = """
ALTER TABLE totals_meta ADD COLUMN exercises_from REAL NULL;
UPDATE totals_meta SET exercises_from = -1e18;
"""

DDL_V2 = _EVENTS_V2 + "PRAGMA user_version = 2;"
DDL_V3 = _EVENTS_V2 + _TABLES_V3 + "PRAGMA user_version = 3;"
DDL_CURRENT = _EVENTS_V2 + _TABLES_V3 + _EXERCISES_V4 + f"PRAGMA user_version = {SCHEMA_VERSION};"

# Each step upgrades from version N to N + 1 inside one transaction.
MIGRATIONS: dict[int, str] = {
    1: """
    ALTER TABLE events ADD COLUMN category TEXT NULL;
    ALTER TABLE events ADD COLUMN detail TEXT NULL;
    PRAGMA user_version = 2;
    """,
    2: _TABLES_V3 + "PRAGMA user_version = 3;",
    3: _EXERCISES_V4 + "PRAGMA user_version = 4;",
}

TABLES = ("events", "daily_totals", "totals_meta", "open_stretch")
