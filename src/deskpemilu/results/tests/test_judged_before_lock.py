"""A sheet judged before the lock (SQLite: every writer queues for one) is stored with the flags
of the sheets around it as they are under the lock: if one changed in between, the body is
judged again (issue 16's write path may not trade exactness for speed)."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from deskpemilu.audit.models import AuditEntry
from deskpemilu.regions.models import Tps
from deskpemilu.results import submission, versions
from deskpemilu.results.contests import contest_info
from deskpemilu.results.models import Sheet
from deskpemilu.results.tests.sheets import sheet_for_tps, with_votes

KELURAHAN = "5271011004"
SHIFTED_TPS = f"{KELURAHAN}001"  # paslon 3's 20 typed as 80: a digit shift
LATE_TPS = f"{KELURAHAN}004"


def put(client: Any, body: dict[str, Any], tps: str) -> Any:
    return client.put(
        f"/api/v1/results/ppwp/{tps}", json.dumps(body), content_type="application/json"
    )


def normal(tps: str) -> dict[str, Any]:
    return with_votes(sheet_for_tps(tps), {"1": 100, "2": 60, "3": 20})


def flags_of(tps: str) -> str:
    return Sheet.objects.get(tps_id=tps, contest_id="ppwp").flag_codes


@pytest.fixture
def judged_calls(monkeypatch) -> list[str]:
    """Every judging of a body, before the lock ("early") or in `store_version` ("locked")."""
    calls: list[str] = []
    real = versions.judge

    def early(*args: Any, **kwargs: Any) -> Any:
        calls.append("early")
        return real(*args, **kwargs)

    def locked(*args: Any, **kwargs: Any) -> Any:
        calls.append("locked")
        return real(*args, **kwargs)

    monkeypatch.setattr(submission, "_judge_early", lambda: True)
    monkeypatch.setattr(submission, "judge", early)
    monkeypatch.setattr(versions, "judge", locked)
    return calls


@pytest.mark.django_db
def test_a_judgement_made_before_the_lock_is_used_when_nothing_around_changed(
    api_for, operator, judged_calls
):
    client = api_for(operator)
    for n in (2, 3):
        assert put(client, normal(f"{KELURAHAN}{n:03d}"), f"{KELURAHAN}{n:03d}").status_code == 201
    judged_calls.clear()
    assert put(client, normal(LATE_TPS), LATE_TPS).status_code == 201
    assert judged_calls == ["early"]  # under the lock the rows were only compared


@pytest.mark.django_db
def test_a_neighbour_stored_between_the_judgement_and_the_lock_is_judged_again(
    api_for, operator, judged_calls, monkeypatch
):
    client = api_for(operator)
    for n in (2, 3):
        assert put(client, normal(f"{KELURAHAN}{n:03d}"), f"{KELURAHAN}{n:03d}").status_code == 201
    # The late TPS is judged while the shifted sheet is not stored yet ...
    late = normal(LATE_TPS)
    stale = versions.judge(late, tps=Tps.objects.get(code=LATE_TPS), contest=contest_info("ppwp"))
    shifted = with_votes(sheet_for_tps(SHIFTED_TPS), {"1": 60, "2": 40, "3": 80})
    assert put(client, shifted, SHIFTED_TPS).status_code == 201
    assert flags_of(SHIFTED_TPS) == ""  # two neighbours are not enough to call it
    # ... and takes the lock after it was: its early judgement knew nothing of that sheet.
    # (The same judgement, of the body as the PUT decodes it.)
    monkeypatch.setattr(submission, "judge", lambda body, **kwargs: replace(stale, body=body))
    judged_calls.clear()
    assert put(client, late, LATE_TPS).status_code == 201

    assert judged_calls == ["locked"]
    assert flags_of(SHIFTED_TPS) == "digit_bergeser"
    reflag = AuditEntry.objects.get(action="sheet.reflag", object_id=f"ppwp/{SHIFTED_TPS}")
    assert reflag.payload["because"] == f"ppwp/{LATE_TPS}"
