"""Rank residents' concerns from consultation tallies, compare events, and set them beside crime.

Pure functions: pandas in, pandas out, no database. Conventions:

* Counts come as a DataFrame with ``category`` and ``count`` (and optionally ``weight``, the
  points one token is worth: sticky dots score 3/2/1). Rows with the same category are summed,
  so the tallies of several events can be ranked together.
* Ranking is competition ranking (1, 2, 2, 4): tied concerns share the better rank.
* Intervals are simultaneous 95% multinomial intervals from statsmodels
  (``multinomial_proportions_confint``): all concerns' intervals hold together, which is what a
  reader comparing bars needs, not each bar on its own. Goodman is the default: it works for
  any number of concerns and any counts, and its intervals shrink for rare concerns, while
  Sison-Glaz (narrower for shares of similar size) needs about 7+ concerns and statsmodels'
  version can break down without raising, so it is offered with a checked fallback.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats
from scipy.stats.contingency import expected_freq
from statsmodels.stats.proportion import multinomial_proportions_confint

RANKED_COLUMNS = ["rank", "category", "count", "share", "ci_low", "ci_high", "rank_low", "rank_high"]
COMPARE_COLUMNS = ["category", "count_a", "share_a", "count_b", "share_b", "change_pts",
                   "p_value", "moved"]
RECORDED_COLUMNS = ["category", "resident_rank", "crime_types", "recorded_count",
                    "recorded_rank", "recorded_of", "reading"]

# Below this many tokens per concern the chi-square approximation behind Goodman's intervals
# is rough (the usual "at least 5 per cell" rule), so the ranking gets a warning.
TOKENS_PER_CONCERN = 5
# Sison-Glaz rests on an expansion that needs several categories (Sison & Glaz show >= 7).
SISON_GLAZ_MIN_CATEGORIES = 7
MONTE_CARLO_TABLES = 9999
RANK_DRAWS = 10_000


# --- counts ---------------------------------------------------------------------------------

def event_counts(tallies: pd.DataFrame, events: list[str] | None = None) -> pd.DataFrame:
    """Tally rows (as read_tallies returns) for the chosen events -> [category, count, weight].

    One row per category and weight, tokens summed; feed it to rank_concerns or compare_events.
    """
    rows = tallies if events is None else tallies[tallies["event"].isin(list(events))]
    if rows.empty:
        return pd.DataFrame({"category": pd.Series(dtype="str"), "count": pd.Series(dtype="int64"),
                             "weight": pd.Series(dtype="int64")})
    weight = rows["weight"] if "weight" in rows else 1
    out = (rows.assign(weight=weight)
           .groupby(["category", "weight"], as_index=False, sort=False)["tokens"].sum()
           .rename(columns={"tokens": "count"}))
    return out[["category", "count", "weight"]]


def _collapse(counts: pd.DataFrame) -> tuple[pd.Series, float, int, bool]:
    """Points per category (first-seen order), effective sample size, tokens, weighted?"""
    missing = {"category", "count"} - set(counts.columns)
    if missing:
        raise ValueError(f"counts need columns category and count; missing {sorted(missing)}")
    tokens = pd.to_numeric(counts["count"], errors="raise").astype(float)
    weight = (pd.to_numeric(counts["weight"], errors="raise").astype(float)
              if "weight" in counts else pd.Series(1.0, index=counts.index))
    if (tokens < 0).any() or tokens.isna().any():
        raise ValueError("counts must be non-negative numbers")
    if (weight <= 0).any() or weight.isna().any():
        raise ValueError("weights must be positive")
    category = counts["category"].astype(str).str.strip()
    points = (tokens * weight).groupby(category, sort=False).sum()
    weighted = bool((weight != 1).any())
    # Kish's effective sample size: how many unweighted tokens carry the same information as
    # these weighted ones. For unweighted tokens it is simply the number of tokens.
    squares = float((tokens * weight**2).sum())
    n_eff = float(points.sum()) ** 2 / squares if squares > 0 else 0.0
    return points, n_eff, int(tokens.sum()), weighted


def _competition_rank(values: pd.Series) -> pd.Series:
    return values.rank(method="min", ascending=False).astype("int64")


# --- ranking --------------------------------------------------------------------------------

def _intervals(points: np.ndarray, n_eff: float, weighted: bool, method: str,
               alpha: float) -> tuple[np.ndarray, str, str | None]:
    """(k x 2 array, method used, note or None)."""
    if method not in ("goodman", "sison-glaz"):
        raise ValueError(f"method must be 'goodman' or 'sison-glaz', not {method!r}")
    shares = points / points.sum()
    notes = []
    if weighted:
        # Intervals for points, not tokens: treat the shares as if they came from n_eff
        # independent tokens. A resident's three dots are not independent, so this is rough.
        counts = shares * n_eff
        notes.append("Weighted tokens (dots scored 3/2/1): shares are of points, and the "
                     f"intervals are approximate, treating the votes as {n_eff:.0f} independent "
                     "tokens (Kish effective size).")
        if method != "goodman":
            notes.append("Sison-Glaz needs whole counts, so Goodman intervals are shown.")
            method = "goodman"
    else:
        counts = points
    if method == "sison-glaz":
        ci = _sison_glaz_or_none(counts, shares, alpha)
        if ci is not None:
            return ci, "sison-glaz", " ".join(notes) or None
        notes.append("Sison-Glaz intervals could not be computed for these counts "
                     f"(it needs at least {SISON_GLAZ_MIN_CATEGORIES} concerns and enough "
                     "tokens in each), so Goodman intervals are shown.")
    ci = multinomial_proportions_confint(counts, alpha=alpha, method="goodman")
    return ci, "goodman", " ".join(notes) or None


def _sison_glaz_or_none(counts: np.ndarray, shares: np.ndarray, alpha: float) -> np.ndarray | None:
    if len(counts) < SISON_GLAZ_MIN_CATEGORIES:
        return None
    try:
        ci = multinomial_proportions_confint(counts, alpha=alpha, method="sison-glaz")
    except Exception:  # statsmodels raises a bare Exception when its search fails
        return None
    # statsmodels does not always raise when the method breaks down: it can return intervals of
    # zero width, or [0, 1] for everything. Treat those as failures rather than show them.
    width = ci[:, 1] - ci[:, 0]
    ok = (np.isfinite(ci).all() and (width > 0).all() and (width < 1).all()
          and (ci[:, 0] <= shares + 1e-12).all() and (ci[:, 1] >= shares - 1e-12).all())
    return ci if ok else None


def rank_concerns(counts: pd.DataFrame, method: str = "goodman", alpha: float = 0.05,
                  seed: int = 20111012) -> pd.DataFrame:
    """Rank concerns -> [rank, category, count, share, ci_low, ci_high, rank_low, rank_high].

    rank: competition rank by count (1, 2, 2, 4); count: tokens (points when weighted);
    share, ci_low, ci_high: fractions 0..1, simultaneous (1 - alpha) intervals;
    rank_low..rank_high: the ranks each concern could plausibly hold, a (1 - alpha) range for
    its true rank, one concern at a time (see _rank_ranges; seed fixes the draws).
    Ordered by rank, then category. Zero-count categories are kept and rank last.
    attrs: ci_method ('goodman' | 'sison-glaz', the one actually used), ci_note (plain words
    or None: fallbacks, weighting), weighted (bool), tokens (int), alpha.
    """
    points, n_eff, tokens, weighted = _collapse(counts)
    if points.sum() <= 0:
        raise ValueError("no tokens to rank: every count is 0")
    ci, used, note = _intervals(points.to_numpy(float), n_eff, weighted, method, alpha)
    out = pd.DataFrame({
        "category": points.index.astype(str),
        "count": points.to_numpy(),
        "share": points.to_numpy() / points.sum(),
        "ci_low": ci[:, 0],
        "ci_high": ci[:, 1],
    })
    if np.allclose(out["count"], out["count"].round()):  # whole weights give whole points
        out["count"] = out["count"].round().astype("int64")
    out["rank"] = _competition_rank(out["count"]).to_numpy()
    effective = out["share"].to_numpy() * (n_eff if weighted else points.sum())
    out["rank_low"], out["rank_high"] = _rank_ranges(effective, out["rank"].to_numpy(), alpha, seed)
    out = (out.assign(_key=out["category"].str.casefold())
           .sort_values(["rank", "_key"], kind="stable")
           .drop(columns="_key").reset_index(drop=True)[RANKED_COLUMNS])
    out.attrs.update(ci_method=used, ci_note=note, weighted=weighted, tokens=tokens, alpha=alpha)
    return out


def _rank_ranges(counts: np.ndarray, ranks: np.ndarray, alpha: float,
                 seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The ranks each concern could plausibly hold: a 1 - alpha range of its true rank.

    Method: draw the true shares from their posterior given the tokens (Dirichlet with
    Jeffreys' prior, counts + 1/2), rank each draw, and take the alpha/2 and 1 - alpha/2
    quantiles of each concern's rank. Seeded, so the page and the command line agree.
    Why not read ranks off the overlap of the simultaneous intervals: overlapping intervals
    do not mean two shares are indistinguishable, and with simultaneous intervals the reading
    is very conservative -- Maldon's 36 ASB tokens "could be 7th", behind Robbery's 14, though
    a direct comparison of the two separates them (z = 3.2). The posterior answers the question
    asked ("where could this concern really rank?") directly, one concern at a time.
    The range is widened to include the observed rank if sampling ever leaves it out, and
    tied concerns get the same range (same counts, same posterior).
    """
    rng = np.random.default_rng(seed)
    shares = rng.dirichlet(np.asarray(counts, float) + 0.5, size=RANK_DRAWS)
    k = shares.shape[1]
    # Draws are continuous, so no ties: a concern's rank is its place in descending order.
    order = np.argsort(-shares, axis=1)
    drawn = np.empty_like(order)
    np.put_along_axis(drawn, order, np.broadcast_to(np.arange(1, k + 1), order.shape), axis=1)
    low = np.quantile(drawn, alpha / 2, axis=0, method="lower").astype("int64")
    high = np.quantile(drawn, 1 - alpha / 2, axis=0, method="higher").astype("int64")
    # Tied concerns have the same posterior; only sampling noise could split their ranges.
    tie = pd.Series(np.asarray(counts, float))
    low = tie.groupby(tie).transform(lambda s: low[s.index].min()).to_numpy()
    high = tie.groupby(tie).transform(lambda s: high[s.index].max()).to_numpy()
    return np.minimum(low, ranks).astype("int64"), np.maximum(high, ranks).astype("int64")


# --- words ----------------------------------------------------------------------------------

def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 102nd."""
    n = int(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def rank_phrase(row: pd.Series | dict, joint: bool = False) -> str:
    """'ranked 2nd, could be 2nd–4th'; 'ranked joint 2nd, ...' for ties; no range if certain."""
    rank, low, high = int(row["rank"]), int(row["rank_low"]), int(row["rank_high"])
    said = f"ranked {'joint ' if joint else ''}{ordinal(rank)}"
    if low == high:
        return f"{said} (no other rank is plausible)"
    return f"{said}, could be {ordinal(low)}–{ordinal(high)}"


def rank_phrases(ranked: pd.DataFrame) -> pd.Series:
    """rank_phrase for every row, saying 'joint' where concerns share a rank."""
    joint = ranked["rank"].duplicated(keep=False)
    return pd.Series([rank_phrase(r, bool(j)) for (_, r), j in zip(ranked.iterrows(), joint)],
                     index=ranked.index, dtype="str")


def _list_words(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def too_few_tokens(ranked: pd.DataFrame) -> str | None:
    """A plain warning when the tokens cannot separate the concerns, else None.

    Warns when there are fewer than five tokens per concern (the intervals themselves are then
    rough), or when even the most and the least chosen concerns' intervals overlap, so no
    difference in the table is beyond chance. Why not warn whenever neighbouring concerns
    overlap: with simultaneous intervals and the 50-200 tokens a stall collects they nearly
    always do (Maldon's 160 tokens included), and a warning shown on every event gets ignored;
    the rank ranges already say how far each place could move.
    """
    if len(ranked) < 2:
        return None
    tokens = int(ranked.attrs.get("tokens", ranked["count"].sum()))
    k = len(ranked)
    could_top = ranked.loc[ranked["rank_low"] == 1, "category"].tolist()
    first = (f" {_list_words(could_top)} could each plausibly be first." if len(could_top) > 1
             else "")
    if tokens < TOKENS_PER_CONCERN * k:
        return (f"Only {tokens} tokens across {k} concerns: too few to rank them with confidence "
                f"(aim for at least {TOKENS_PER_CONCERN * k}, five per concern).{first}")
    top, bottom = ranked.iloc[0], ranked.iloc[-1]
    if top["ci_low"] <= bottom["ci_high"]:
        return (f"{tokens} tokens are too few to separate the concerns: even the most and the "
                f"least chosen ({top['category']} and {bottom['category']}) have overlapping "
                f"intervals, so the order could be chance.{first}")
    return None


# --- change between events ------------------------------------------------------------------

def holm_adjusted(p_values) -> np.ndarray:
    """Holm's step-down adjusted p-values, in the order given.

    The same numbers as statsmodels' multipletests(method="holm"), which the tests hold it to. Not that
    function itself: it runs a full gc.collect() on every call, which in the dashboard's process held
    the interpreter lock for 70-180 ms (measured), stalling every session."""
    p = np.asarray(p_values, dtype=float)
    order = np.argsort(p)
    stepped = np.maximum.accumulate(p[order] * np.arange(len(p), 0, -1))
    adjusted = np.empty(len(p))
    adjusted[order] = np.minimum(stepped, 1.0)
    return adjusted


def compare_events(a: pd.DataFrame, b: pd.DataFrame, alpha: float = 0.05,
                   seed: int = 20111012) -> tuple[pd.DataFrame, dict]:
    """Did the mix of concerns change from a to b (this year vs last, area vs area)?

    Only concerns offered at both (a row in each, even with 0 tokens) are compared: a pot that
    was not put out could not collect tokens, so its absence says nothing about residents.
    Shares are of the tokens in those shared concerns.

    Returns (table, test). table: [category, count_a, share_a, count_b, share_b, change_pts,
    p_value, moved], biggest movers first, then concerns offered at one event only (count NA
    on the other side, no shares); change_pts is share_b - share_a in percentage points;
    p_value is a per-concern Fisher exact test (this concern vs the rest, a vs b),
    Holm-adjusted across concerns; moved = p_value < alpha. test: chi-square test of
    homogeneity of the mix: statistic, p_value, dof, method, changed, n_a, n_b, only_a,
    only_b, note. With small expected counts (any below 1, or more than a fifth below 5) the
    p-value comes from 9,999 Monte Carlo tables with the same totals instead (seeded).
    Weighted counts (dots) become effective token counts (Kish) first; the note says so.
    """
    pa, na_eff, _, wa = _collapse(a)
    pb, nb_eff, _, wb = _collapse(b)
    notes = []
    if wa or wb:
        # Tests need counts of independent tokens: scale each side's points to its effective size.
        pa = (pa / pa.sum() * na_eff).round() if pa.sum() else pa
        pb = (pb / pb.sum() * nb_eff).round() if pb.sum() else pb
        notes.append("Weighted votes were turned into effective token counts (Kish), so the "
                     "tests are approximate.")
    common = [c for c in pa.index if c in pb.index]
    only_a = [c for c in pa.index if c not in pb.index]
    only_b = [c for c in pb.index if c not in pa.index]
    if only_a or only_b:
        notes.append("Compared on the concerns offered at both; left out: "
                     + "; ".join(_list_words(cats) + f" (only {side})"
                                 for cats, side in ((only_a, "first"), (only_b, "second")) if cats)
                     + ".")
    ca = pa.reindex(common).to_numpy(float)
    cb = pb.reindex(common).to_numpy(float)
    n_a, n_b = ca.sum(), cb.sum()
    table = pd.DataFrame({
        "category": pd.Series(common, dtype="str"),
        "count_a": pd.array(ca.round(), dtype="Int64"),
        "share_a": ca / n_a if n_a else np.nan,
        "count_b": pd.array(cb.round(), dtype="Int64"),
        "share_b": cb / n_b if n_b else np.nan,
    })
    table["change_pts"] = (table["share_b"] - table["share_a"]) * 100
    used = (ca + cb) > 0
    test = {"statistic": float("nan"), "p_value": float("nan"), "dof": None, "method": None,
            "changed": False, "n_a": int(round(n_a)), "n_b": int(round(n_b)),
            "only_a": only_a, "only_b": only_b}
    p_adj = np.full(len(common), np.nan)
    if n_a > 0 and n_b > 0 and used.sum() >= 2:
        observed = np.vstack([ca[used], cb[used]]).round().astype(int)
        test.update(_homogeneity(observed, seed))
        raw = [stats.fisher_exact([[x, n_a - x], [y, n_b - y]]).pvalue
               for x, y in zip(ca[used].round(), cb[used].round())]
        p_adj[used] = holm_adjusted(raw)
        test["changed"] = bool(test["p_value"] < alpha)
    else:
        notes.append("Both events need tokens, in at least two concerns offered at both, "
                     "to compare.")
    test["note"] = " ".join(notes) or None
    table["p_value"] = p_adj
    table["moved"] = np.nan_to_num(p_adj, nan=1.0) < alpha
    table = (table.assign(_size=-table["change_pts"].abs().fillna(0))
             .sort_values(["_size", "category"], kind="stable")
             .drop(columns="_size"))
    one_sided = pd.DataFrame({
        "category": pd.Series(only_a + only_b, dtype="str"),
        "count_a": pd.array([pa[c] for c in only_a] + [pd.NA] * len(only_b), dtype="Int64"),
        "count_b": pd.array([pd.NA] * len(only_a) + [pb[c] for c in only_b], dtype="Int64"),
        "moved": False,
    })
    if not one_sided.empty:
        table = pd.concat([table, one_sided.reindex(columns=COMPARE_COLUMNS)], ignore_index=True)
    table["moved"] = table["moved"].astype(bool)
    return table[COMPARE_COLUMNS].reset_index(drop=True), test


def _homogeneity(observed: np.ndarray, seed: int) -> dict:
    expected = expected_freq(observed)
    small = expected.min() < 1 or (expected < 5).mean() > 0.2
    if small:
        res = stats.chi2_contingency(observed, correction=False, method=stats.MonteCarloMethod(
            n_resamples=MONTE_CARLO_TABLES, rng=np.random.default_rng(seed)))
        how = (f"chi-square test, p-value from {MONTE_CARLO_TABLES:,} random tables with the "
               "same totals (expected counts too small for the usual approximation)")
        dof = None
    else:
        res = stats.chi2_contingency(observed, correction=False)
        how = "chi-square test of homogeneity"
        dof = int(res.dof)
    return {"statistic": float(res.statistic), "p_value": float(res.pvalue), "dof": dof,
            "method": how}


def _p_words(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}" if p < 0.01 else f"p = {p:.2f}"


def _pct(share: float) -> str:
    return f"{share * 100:.0f}%"


def change_sentence(table: pd.DataFrame, test: dict, label_a: str = "the first event",
                    label_b: str = "the second") -> str:
    """One or two plain sentences on what compare_events found."""
    p = test.get("p_value", float("nan"))
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return f"There are not enough tokens to compare {label_a} with {label_b}."
    if not test.get("changed"):
        return (f"No clear change in the mix of concerns between {label_a} and {label_b} "
                f"({_p_words(p)}): the differences are within what chance would give with "
                f"{test['n_a']} and {test['n_b']} tokens{_offered_words(test)}.")
    moved = table[table["moved"]]
    said = f"The mix of concerns changed between {label_a} and {label_b} ({_p_words(p)})."
    if moved.empty:
        return said[:-1] + f", but no single concern moved clearly on its own{_offered_words(test)}."
    parts = [f"{r.category} {'rose' if r.change_pts > 0 else 'fell'} from {_pct(r.share_a)} to "
             f"{_pct(r.share_b)}" for r in moved.itertuples()]
    return f"{said} {_list_words(parts)}{_offered_words(test)}."


def _offered_words(test: dict) -> str:
    left_out = list(test.get("only_a") or []) + list(test.get("only_b") or [])
    return f" ({_list_words(left_out)} offered at one only, not compared)" if left_out else ""


# --- concerns beside recorded crime ---------------------------------------------------------

def recorded_window(event_date) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last month (as month starts) of the 12 whole months before the event's month.

    police.uk publishes by month, and the event's own month is partly after the event.
    """
    month = pd.Timestamp(event_date).to_period("M")
    return (month - 12).to_timestamp(), (month - 1).to_timestamp()


def _key(label: object) -> str:
    text = str(label).casefold().replace("&", " and ")
    return " ".join(text.replace("-", " ").replace("_", " ").split())


def _plain(label: str) -> str:
    """'Drug Misuse' -> 'drug misuse', keeping acronyms ('ASB') as they are."""
    return " ".join(w if (w.isupper() and len(w) > 1) else w.lower() for w in label.split())


def concern_vs_recorded(ranked: pd.DataFrame, crime_counts: pd.DataFrame,
                        mapping: pd.DataFrame) -> pd.DataFrame:
    """Residents' rank beside the rank by recorded crime in the same area and period.

    ranked: rank_concerns output. crime_counts: [crime_type, count] for the area over the 12
    months before the event (recorded_window). mapping: [concern, crime_type], many-to-many;
    a blank crime_type marks a concern with no police.uk category. Concern labels match
    ignoring case, hyphens and spacing.
    Returns [category, resident_rank, crime_types, recorded_count, recorded_rank, recorded_of,
    reading]. A concern mapped to several crime types sums them and is ranked as one merged
    category against the other police.uk categories present (count > 0); recorded_of counts
    the categories after that merge. Competition ranking. Unmapped concerns have no recorded
    figures; reading is one line, e.g. "Residents rank drug misuse 2nd; it is 9th of 14 by
    recorded crime".
    """
    crimes = (crime_counts.assign(crime_type=crime_counts["crime_type"].astype(str).str.strip())
              .groupby("crime_type")["count"].sum())
    present = crimes[crimes > 0]
    types_for: dict[str, list[str]] = {}
    for concern, crime_type in zip(mapping["concern"], mapping["crime_type"]):
        listed = types_for.setdefault(_key(concern), [])
        text = "" if pd.isna(crime_type) else str(crime_type).strip()
        if text and text not in listed:
            listed.append(text)
    joint = ranked["rank"].duplicated(keep=False).to_numpy()

    rows = []
    for (_, r), is_joint in zip(ranked.iterrows(), joint):
        said = f"Residents rank {_plain(r['category'])} {'joint ' if is_joint else ''}{ordinal(r['rank'])}"
        types = types_for.get(_key(r["category"]))
        row = {"category": r["category"], "resident_rank": int(r["rank"]),
               "crime_types": "; ".join(types or []), "recorded_count": pd.NA,
               "recorded_rank": pd.NA, "recorded_of": pd.NA}
        if types is None:
            row["reading"] = f"{said}; it has no police.uk crime type in the concern mapping"
        elif not types:
            row["reading"] = f"{said}; it is not a police.uk crime type"
        else:
            row.update(_recorded(types, present))
            row["reading"] = said + "; " + _recorded_words(types, row)
        rows.append(row)
    out = pd.DataFrame(rows, columns=RECORDED_COLUMNS)
    for col in ("recorded_count", "recorded_rank", "recorded_of"):
        out[col] = out[col].astype("Int64")
    return out


def _recorded(types: list[str], present: pd.Series) -> dict:
    total = int(present.reindex(types).fillna(0).sum())
    others = present.drop(labels=[t for t in types if t in present.index])
    if total == 0:
        return {"recorded_count": 0, "recorded_rank": pd.NA, "recorded_of": len(others)}
    return {"recorded_count": total, "recorded_rank": 1 + int((others > total).sum()),
            "recorded_of": len(others) + 1, "_joint": bool((others == total).any())}


def _recorded_words(types: list[str], row: dict) -> str:
    joint = row.pop("_joint", False)
    what = "" if len(types) == 1 else f" ({' + '.join(types)} together)"
    if row["recorded_of"] == 0 and row["recorded_count"] == 0:
        return "no recorded crime is loaded for this area and period"
    if row["recorded_count"] == 0:
        return f"no {' or '.join(t.lower() for t in types)} was recorded in the area in the period"
    return (f"it is {'joint ' if joint else ''}{ordinal(row['recorded_rank'])} of "
            f"{row['recorded_of']} by recorded crime{what}")
