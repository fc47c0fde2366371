"""What the documented default file says about each key: its explanation and its value.

The settings window shows these beside each field, so the file's comments stay the one place
where a key is explained.
"""

from __future__ import annotations

import re
import tomllib
from typing import Any

from tray_app.settings.files import DEFAULT_FILE
from tray_app.settings.schema import SCHEMA


def explanations(text: str) -> dict[str, str]:
    """'section.key' -> the comment lines directly above it, joined into one line."""
    out: dict[str, str] = {}
    section = ""
    comment: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("#"):
            comment.append(line.lstrip("#").strip())
            continue
        header = re.match(r"^\[\s*([A-Za-z0-9_]+)\s*\]", line)
        key = re.match(r"^([A-Za-z0-9_]+)\s*=", line)
        if header:
            section = header[1]
        elif key and section:
            out[f"{section}.{key[1]}"] = " ".join(c for c in comment if c)
        comment = []
    return out


def default_values(text: str) -> dict[str, Any]:
    """'section.key' -> the value as the default file writes it."""
    data = tomllib.loads(text)
    return {f"{s}.{k}": data[s][k] for s in SCHEMA for k in SCHEMA[s] if k in data.get(s, {})}


def default_text() -> str:
    return DEFAULT_FILE.read_text(encoding="utf-8")
