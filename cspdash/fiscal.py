"""UK financial years: April to March, written '2010-11'.

Council reports write the same year as '10/11', '2010/11', '2010-2011' or 'FY2010-11'; every
one of them becomes '2010-11' here so years sort, join and compare as plain strings.
"""

from __future__ import annotations

import re
from datetime import date, datetime

import pandas as pd

# A year starts on 1 April: 31 March belongs to the year before.
FY_START_MONTH = 4
FY_START_DAY = 1

# Two-digit years ('99/00', '10/11') need a century; reports on CSPs start in the late 1990s
# (Crime and Disorder Act 1998), so 70..99 are the 1900s and 00..69 the 2000s.
_PIVOT = 70

_FY_PATTERN = re.compile(
    r"""^\s*(?:FY\s*)?            # optional 'FY' prefix
        (?P<first>\d{2}|\d{4})
        \s*[-/–]\s*               # hyphen, slash or en dash
        (?P<second>\d{2}|\d{4})
        \s*$""",
    re.IGNORECASE | re.VERBOSE,
)


class FinancialYearError(ValueError):
    """A string that is not a financial year; the message says what was wrong."""


def financial_year(when: date | datetime | pd.Timestamp | str) -> str:
    """The financial year a date falls in: 1 April 2010 .. 31 March 2011 -> '2010-11'.

    Strings must be ISO ('2011-03-31'): '01/04/2011' means different days to different
    parsers, so day-first dates are parsed by the caller who knows the format.
    """
    if isinstance(when, str):
        try:
            when = datetime.fromisoformat(when.strip())
        except ValueError:
            raise FinancialYearError(f"'{when}' is not an ISO date (YYYY-MM-DD)") from None
    if when is None or pd.isna(when):
        raise FinancialYearError(f"no date to place in a financial year: {when!r}")
    day = pd.Timestamp(when)
    start = day.year if (day.month, day.day) >= (FY_START_MONTH, FY_START_DAY) else day.year - 1
    return _label(start)


def normalise_fy(text: str) -> str:
    """'10/11', '2010/11', '2010-2011', 'FY2010-11', '2010-11' -> '2010-11'.

    The second year must follow the first ('2010-12' is refused: a typo, not a year).
    """
    if not isinstance(text, str):
        raise FinancialYearError(f"financial year must be text like '2010-11', got {text!r}")
    match = _FY_PATTERN.match(text)
    if not match:
        raise FinancialYearError(f"'{text}' is not a financial year (write it like 2010-11)")
    first = _full_year(match["first"])
    second_text = match["second"]
    if len(second_text) == 4:
        follows = int(second_text) == first + 1
    else:
        follows = int(second_text) == (first + 1) % 100
    if not follows:
        raise FinancialYearError(
            f"'{text}' is not a financial year: the second year must follow the first "
            f"(did you mean {_label(first)}?)"
        )
    return _label(first)


def is_financial_year(text: object) -> bool:
    """True for the canonical form only ('2010-11'), so a stored value can be checked cheaply."""
    if not isinstance(text, str):
        return False
    try:
        return normalise_fy(text) == text
    except FinancialYearError:
        return False


def fy_start_year(fy: str) -> int:
    """'2010-11' -> 2010 (accepts any form normalise_fy accepts)."""
    return int(normalise_fy(fy)[:4])


def fy_start(fy: str) -> date:
    """First day of the year: '2010-11' -> 1 April 2010."""
    return date(fy_start_year(fy), FY_START_MONTH, FY_START_DAY)


def fy_end(fy: str) -> date:
    """Last day of the year: '2010-11' -> 31 March 2011."""
    return date(fy_start_year(fy) + 1, 3, 31)


def fy_sort_key(fy: str) -> int:
    """Sort key for financial-year strings in any accepted form (the start year)."""
    return fy_start_year(fy)


def fy_shift(fy: str, years: int) -> str:
    """'2010-11' shifted by +1 -> '2011-12'; by -1 -> '2009-10'."""
    return _label(fy_start_year(fy) + years)


def fy_range(first: str, last: str) -> list[str]:
    """Every year from first to last inclusive, in order (empty when last is before first)."""
    return [_label(y) for y in range(fy_start_year(first), fy_start_year(last) + 1)]


def _full_year(text: str) -> int:
    value = int(text)
    if len(text) == 4:
        return value
    return (1900 if value >= _PIVOT else 2000) + value


def _label(start_year: int) -> str:
    return f"{start_year}-{(start_year + 1) % 100:02d}"
