"""Pure chart builders for the overview and about pages: DataFrame in, `echart.Chart` out. No Streamlit, no
database. The shared look, and why ECharts, are in components/echart.py."""

from __future__ import annotations

import pandas as pd

from components.echart import (GREY, OKABE_ITO, Chart, bar, category_axis, chart, line, month_labels,
                               TOP, value_axis)

# A y axis listing names (districts, concerns, recipients, forces): the first name at the top.
NAMES_AXIS = {"inverse": True, "axisTick": {"show": False}}


def crime_asb_trend(totals: pd.DataFrame, area: str) -> Chart:
    """Monthly recorded crime (excluding ASB) and ASB; gaps where a month was not published."""
    series = [line(label, totals[col], colour, width=3)
              for col, label, colour in (("crime", "Crime (excluding ASB)", OKABE_ITO[0]),
                                         ("asb", "Anti-social behaviour", OKABE_ITO[1]))]
    return chart(f"Recorded crime and ASB per month, {area}", series,
                 x_axis=category_axis(month_labels(totals.index)), y_axis=value_axis("Records per month"),
                 tooltip="axis")


def trend_by_type(wide: pd.DataFrame, area: str, top: int = 7) -> Chart:
    """The most frequent crime types month by month; the rest grouped so colours stay distinguishable."""
    order = wide.sum().sort_values(ascending=False).index.tolist()
    frame = wide[order[:top]].copy()
    if len(order) > top:
        frame["All other types"] = wide[order[top:]].sum(axis=1, min_count=1)
    dashes = ["solid", "dashed", "dotted"]
    series = [line(col, frame[col], GREY if col == "All other types" else OKABE_ITO[i % len(OKABE_ITO)],
                   symbols=False, dash=dashes[(i // len(OKABE_ITO)) % 3])
              for i, col in enumerate(frame.columns)]
    return chart(f"Records per month by crime type, {area}", series, height=480,
                 x_axis=category_axis(month_labels(frame.index)), y_axis=value_axis("Records per month"),
                 grid={"top": TOP + 24})


def district_shares(districts: pd.DataFrame, area: str) -> Chart:
    """Each district's crime and ASB in the last 12 months, side by side (the table below has the shares)."""
    frame = districts.sort_values("records", ascending=False)
    series = [bar(label, frame[col], colour, tooltip={"valueFormatter": f"%,d {what}"})
              for col, label, what, colour in (("crimes", "Crime (excluding ASB)", "crimes", OKABE_ITO[0]),
                                               ("asb", "Anti-social behaviour", "ASB incidents", OKABE_ITO[1]))]
    return chart(f"Crime and ASB by district, last 12 months, {area}", series,
                 height=max(320, 70 * len(frame) + 150),
                 x_axis=value_axis("Records in 12 months", nameLocation="middle", nameGap=30,
                                   nameTextStyle={"align": "center"}),
                 y_axis=category_axis(frame["district"], **NAMES_AXIS))


def coverage_heatmap(coverage: pd.DataFrame) -> Chart:
    """Force × month: records loaded; blank cells are months not published or not loaded."""
    pivot = coverage.pivot_table(index="force", columns="month", values="rows", aggfunc="sum")
    months = pd.period_range(min(pivot.columns), max(pivot.columns), freq="M").strftime("%Y-%m")
    pivot = pivot.reindex(columns=months)
    cells = [[j, i, pivot.iat[i, j]] for i in range(len(pivot.index)) for j in range(len(months))
             if pd.notna(pivot.iat[i, j])]
    top = float(pivot.max().max()) if cells else 1.0
    series = [{"type": "heatmap", "name": "Records", "data": cells, "emphasis": {"itemStyle": {"borderColor": "#000"}}}]
    height = max(260, 34 * len(pivot) + 170)
    return chart("Months loaded per force (blank = not published or not loaded)", series, height=height,
                 legend=False, tooltip="item",
                 x_axis=category_axis(month_labels(pd.to_datetime(months)), splitArea={"show": False}),
                 y_axis=category_axis(list(pivot.index), **NAMES_AXIS),
                 grid={"bottom": 64},
                 visualMap={"min": 0, "max": top, "calculable": False, "orient": "horizontal", "left": "center",
                            "bottom": 0, "itemHeight": 240, "text": ["more records", "fewer"],
                            "inRange": {"color": ["#00204D", "#7C7B78", "#FFEA46"]},
                            "textStyle": {"color": "#4d4d4d"}})
