"""What each regime lacks: a field removed from the data shows in the regimes that need it, and
only there; data a regime reads but the snapshot lacks is a gap, never a crash."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from registry import regimes
from registry.documents import DocumentMeta
from tests.regimes.conftest import seeded_snapshot

pytestmark = pytest.mark.renders  # the engine is not what these test (conftest.py)

Snapshot = dict[str, Any]
ALL = {"eu-scc", "uk-addendum", "ch-fadp", "br-anpd", "cn-pipl", "jp-appi", "kr-pipa"}


def _gaps(snapshot: Snapshot) -> dict[str, list[dict[str, Any]]]:
    return {report["regime"]: report["missing"] for report in regimes.reports(snapshot)}


def test_complete_data_leaves_every_regime_complete(full: tuple[Snapshot, DocumentMeta]) -> None:
    snapshot, _ = full
    reports = regimes.reports(snapshot)
    assert {r["regime"] for r in reports} == ALL
    assert [r for r in reports if not r["complete"]] == []


def _recipient(slug: str, field: str) -> Callable[[Snapshot], None]:
    def remove(s: Snapshot) -> None:
        next(r for r in s["recipients"] if r["slug"] == slug)[field] = ""

    return remove


def _company(*path: str) -> Callable[[Snapshot], None]:
    def remove(s: Snapshot) -> None:
        holder = s["company"]
        for part in path[:-1]:
            holder = holder[part]
        del holder[path[-1]]

    return remove


def _setting(regime: str, key: str) -> Callable[[Snapshot], None]:
    def remove(s: Snapshot) -> None:
        del s["regime_settings"][regime][key]

    return remove


def _unverify(kind: str, key: str) -> Callable[[Snapshot], None]:
    def remove(s: Snapshot) -> None:
        s["reference"][kind][key]["verified"] = False

    return remove


CASES = [
    # (what is removed, the gap's recipient and field, the regimes that need it)
    (_recipient("aws", "retention"), "aws", "retention", {"eu-scc", "kr-pipa"}),
    (_recipient("aws", "transfer_timing"), "aws", "transfer_timing", {"kr-pipa"}),
    (_recipient("aws", "address"), "aws", "address", {"eu-scc"}),
    (_recipient("aws", "contact"), "aws", "contact", {"eu-scc", "cn-pipl", "kr-pipa"}),
    (
        _company("processing", "duration"),
        None,
        "company.processing.duration",
        {"eu-scc", "br-anpd", "cn-pipl"},
    ),
    (_company("scc"), None, "company.scc.modules", {"eu-scc", "uk-addendum"}),
    (
        _setting("uk-addendum", "ending_party"),
        None,
        "settings.uk-addendum.ending_party",
        {"uk-addendum"},
    ),
    (_setting("cn-pipl", "volume"), None, "settings.cn-pipl.volume", {"cn-pipl"}),
    (_unverify("authority", "FDPIC"), None, "reference.authority.FDPIC", {"ch-fadp"}),
    (
        _unverify("jp_appi_country", "US"),
        None,
        "reference.jp_appi_country.US",
        {"jp-appi"},
    ),
]


@pytest.mark.parametrize(("remove", "recipient", "field", "needed_by"), CASES)
def test_a_removed_field_is_missing_where_needed_and_only_there(
    full: tuple[Snapshot, DocumentMeta],
    remove: Callable[[Snapshot], None],
    recipient: str | None,
    field: str,
    needed_by: set[str],
) -> None:
    snapshot = copy.deepcopy(full[0])
    remove(snapshot)
    gaps = _gaps(snapshot)
    for slug in ALL:
        named = [g for g in gaps[slug] if g["field"] == field]
        if recipient is not None:
            named = [g for g in named if g["recipient"] == recipient]
        if slug in needed_by:
            assert named, (slug, field)
            assert all(g["message"] for g in named)
        else:
            assert named == [], (slug, field)


def test_a_missing_korean_text_is_a_gap_of_the_korean_regime_only(
    full: tuple[Snapshot, DocumentMeta],
) -> None:
    snapshot = copy.deepcopy(full[0])
    aws = next(r for r in snapshot["recipients"] if r["slug"] == "aws")
    del aws["translations"]["ko"]["retention"]
    gaps = _gaps(snapshot)
    assert [g["field"] for g in gaps["kr-pipa"]] == ["translations.ko.retention"]
    assert all(not gaps[slug] for slug in ALL - {"kr-pipa"})


def test_a_destination_without_reference_data_is_named_with_its_recipient(
    full: tuple[Snapshot, DocumentMeta],
) -> None:
    snapshot = copy.deepcopy(full[0])
    # A sub-processor: APPI's list is of the countries the company's sub-processors reach.
    datadog = next(r for r in snapshot["recipients"] if r["slug"] == "datadog")
    datadog["destinations"] = ["US", "BR"]
    datadog["mechanisms"]["BR"] = {"mechanism": "scc", "scc_module": "3"}
    gaps = _gaps(snapshot)["jp-appi"]
    assert gaps == [
        {
            "recipient": "datadog",
            "field": "reference.jp_appi_country.BR",
            "message": gaps[0]["message"],
        }
    ]
    assert "seed/regimes.toml" in gaps[0]["message"]


def test_the_seeded_version_without_legal_data_reports_gaps_rather_than_failing(
    client: Any,
) -> None:
    snapshot, _ = seeded_snapshot(client)
    snapshot["company"].pop("processing", None)
    snapshot["company"].pop("scc", None)
    gaps = _gaps(snapshot)
    fields = {g["field"] for g in gaps["eu-scc"]}
    assert {"company.processing.purposes", "company.scc.modules"} <= fields
    assert any(g["field"].startswith("settings.uk-addendum.") for g in gaps["uk-addendum"])
    older = {k: v for k, v in snapshot.items() if k not in ("reference", "regime_settings")}
    assert {r["regime"] for r in regimes.reports(older)} == ALL
    jp = _gaps(older)["jp-appi"]
    assert any(g["field"] == "settings.jp-appi.importer_country" for g in jp)
