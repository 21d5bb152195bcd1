"""Read the charts a page drew in an AppTest: AppTest sees st.echarts_chart as an UnknownElement whose proto
carries the ECharts option as JSON (components/plots.py)."""

from __future__ import annotations

import json

from components.echart import series_named  # noqa: F401  (tests read an option's series through it)


def chart_options(at) -> list[dict]:
    """Every chart's ECharts option, in page order."""
    return [json.loads(el.proto.spec) for el in at.get("echarts_chart")]


def chart_titles(at) -> list[str]:
    return [o.get("title", {}).get("text", "") for o in chart_options(at)]
