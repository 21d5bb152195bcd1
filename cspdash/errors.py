"""The one error type for bad input: a file (and line) and a plain sentence.

The command line turns it into ONE line on stderr and exit code 2; the app shows it as a
message. Never raise it for programming errors, only for things the user can fix.
"""

from __future__ import annotations

from pathlib import Path


class InputError(Exception):
    """Bad input the user can fix. ``str(err)`` is the one line we print."""

    def __init__(self, path: str | Path | None, message: str, line: int | None = None):
        self.path = str(path) if path is not None else None
        self.line = line
        self.message = message
        super().__init__(self.one_line())

    def one_line(self) -> str:
        where = ""
        if self.path:
            where = self.path + (f":{self.line}" if self.line else "") + ": "
        # A message must stay on one line whatever the cause quoted into it.
        return (where + self.message).replace("\r", " ").replace("\n", " ")
