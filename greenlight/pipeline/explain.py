"""A matching run in words: each candidate's verdict and each pool's use, for the page."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from greenlight.accounts.models import Subdistrict

from .choices import FactorKind


def pool_label(key: str, subdistricts: dict[int, str]) -> str:
    """`land:12` -> 土地指标（新桥）; `energy` -> 能耗指标."""
    kind, _sep, sub = key.partition(":")
    label = str(FactorKind(kind).label) if kind in FactorKind.values else kind
    return f"{label} · {subdistricts.get(int(sub), sub)}" if sub else label


def _amounts(d: dict, subs) -> str:
    return "; ".join(f"{pool_label(k, subs)} {v:,.2f}" for k, v in sorted(d.items()))


def reason_text(verdict: dict, subs) -> str:
    """Why one candidate is in or out, in the user's language."""
    reason = verdict["reason"]
    if reason == "selected":
        return _("In: the best selection within every pool includes it.")
    if reason == "pinned_in":
        return _("In: pinned in by the coordinator.")
    if reason == "pinned_out":
        return _("Out: pinned out by the coordinator.")
    if reason == "not_met":
        return _("Out: needs more than the whole pool — short of %(s)s.") % {
            "s": _amounts(verdict["shortfall"], subs)
        }
    if reason == "blocked":
        return _("Out: higher-value candidates use the pool first; it would exceed %(s)s.") % {
            "s": _amounts(verdict["blocked_by"], subs)
        }
    if reason == "infeasible":
        return _("No selection: the pinned candidates exceed a pool (see above).")
    return _("Out: adds no value.")


@dataclass
class Row:
    candidate: object
    selected: bool
    reason: str
    text: str


def explain(run, candidates, region) -> dict:
    """Rows for every candidate of the run and the pools with labels."""
    subs = dict(Subdistrict.objects.filter(region=region).values_list("id", "name"))
    verdicts = run.result.get("verdicts", {})
    rows = []
    for c in candidates:
        v = verdicts.get(str(c.pk))
        if v is None:
            continue
        rows.append(Row(c, v["selected"], v["reason"], reason_text(v, subs)))
    rows.sort(key=lambda r: (not r.selected, -float(r.candidate.value)))
    pools = [
        {
            **p,
            "label": pool_label(p["key"], subs),
            "pct": round(100 * p["used"] / p["capacity"]) if p["capacity"] else None,
        }
        for p in run.result.get("pools", [])
    ]
    conflicts = [
        _("Pinned candidates need %(need)s of %(pool)s but only %(cap)s is available.")
        % {"need": f"{need:,.2f}", "pool": pool_label(key, subs), "cap": f"{cap:,.2f}"}
        for key, need, cap in run.result.get("conflicts", [])
    ]
    return {"rows": rows, "pools": pools, "conflicts": conflicts}
