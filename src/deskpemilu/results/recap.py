"""Reading the recap: a region's totals and its children's, from the rollups (O(children)).

A kelurahan's children are its TPS, read from their current sheets. Which sheets count is
`counting.counts_in`'s rule; who may read provisional figures is the caller's to decide
(`counting.sees_unverified`): a reader who may not gets `verified_only`.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import datetime
from typing import Any

from deskpemilu.regions.installation import NATION
from deskpemilu.regions.models import Level, Region, Tps
from deskpemilu.results.contests import ContestInfo
from deskpemilu.results.counting import counts_in
from deskpemilu.results.models import Rollup, RollupKind, Sheet, SheetStatus
from deskpemilu.tally.recap import legislative_party_totals, shares

KELURAHAN_LEVELS = (Level.KELURAHAN, Level.DESA)


def _rollups(codes: list[str], contest: str) -> dict[tuple[str, str], Rollup]:
    rows = Rollup.objects.filter(region_id__in=codes, contest_id=contest)
    return {(r.region_id, r.kind): r for r in rows}


def _numbers(row: Rollup | None) -> dict[str, Any]:
    if row is None:
        return {
            "totals": {},
            "suara_sah": 0,
            "suara_tidak_sah": 0,
            "tps_reported": 0,
            "surat_suara_digunakan": 0,
            "pemilih_dpt": 0,
            "updated_at": None,
        }
    return {
        "totals": dict(sorted(row.totals.items(), key=lambda kv: _key_order(kv[0]))),
        "suara_sah": row.suara_sah,
        "suara_tidak_sah": row.suara_tidak_sah,
        "surat_suara_digunakan": row.surat_suara_digunakan,
        "pemilih_dpt": row.pemilih_dpt,
        "tps_reported": row.tps_reported,
        "updated_at": row.updated_at,
    }


def _key_order(key: str) -> tuple[int, int]:
    party, _, candidate = key.partition(".")
    return (int(party) if party.isdigit() else 10**6, int(candidate or 0))


def _region_children(
    region: Region, contest: ContestInfo, verified_only: bool
) -> tuple[list[dict[str, Any]], dict[tuple[str, str], Rollup]]:
    if region.code == NATION:
        children = list(Region.objects.filter(parent=None))
        rollups = _rollups([c.code for c in children], contest.code)
        for kind_ in RollupKind.values:
            total = _sum_rollups(list(rollups.values()), kind_)
            if total is not None:
                rollups[(NATION, kind_)] = total
    else:
        children = list(region.children.all())
        rollups = _rollups([region.code] + [c.code for c in children], contest.code)
    kind = RollupKind.VERIFIED if verified_only else RollupKind.PROVISIONAL
    rows = []
    for child in children:
        numbers = _numbers(rollups.get((child.code, kind)))
        verified = rollups.get((child.code, RollupKind.VERIFIED))
        held = rollups.get((child.code, RollupKind.HELD))
        rows.append(
            {
                "code": child.code,
                "name": child.name,
                "level": child.level,
                "totals": numbers["totals"],
                "suara_sah": numbers["suara_sah"],
                "suara_tidak_sah": numbers["suara_tidak_sah"],
                "tps_total": child.counts_in(contest.election)[0],
                "tps_reported": numbers["tps_reported"],
                "tps_verified": verified.tps_reported if verified else 0,
                "tps_held": held.tps_reported if held else 0,
            }
        )
    return rows, rollups


def rollups_of(region_code: str) -> list[Rollup]:
    """The rollup rows of a region, every contest and kind (one query); for the nation, which
    has no row of its own, the sums of the top-level regions' rows."""
    if region_code != NATION:
        return list(Rollup.objects.filter(region_id=region_code))
    by_contest: dict[str, list[Rollup]] = {}
    for row in Rollup.objects.filter(region__parent=None):
        by_contest.setdefault(row.contest_id, []).append(row)
    result = []
    for contest, rows in by_contest.items():
        for kind in RollupKind.values:
            total = _sum_rollups(rows, kind)
            if total is not None:
                total.contest_id = contest
                result.append(total)
    return result


def _sum_rollups(rows: list[Rollup], kind: str) -> Rollup | None:
    chosen = [r for r in rows if r.kind == kind]
    if not chosen:
        return None
    total = Rollup(region_id=NATION, kind=kind, totals={})
    counter: Counter[str] = Counter()
    for r in chosen:
        counter.update(r.totals)
        total.suara_sah += r.suara_sah
        total.suara_tidak_sah += r.suara_tidak_sah
        total.surat_suara_digunakan += r.surat_suara_digunakan
        total.pemilih_dpt += r.pemilih_dpt
        total.tps_reported += r.tps_reported
    total.totals = dict(counter)
    stamps = [r.updated_at for r in chosen if r.updated_at]
    total.updated_at = max(stamps) if stamps else None
    return total


def _tps_children(
    region: Region, contest: ContestInfo, verified_only: bool
) -> tuple[list[dict[str, Any]], dict[tuple[str, str], Rollup]]:
    """A kelurahan's TPS: each with its sheet's numbers where the sheet counts in the kind
    shown (the same rule as the rollups), and its status always."""
    # The TPS of the contest's election: each election has its own (README, "TPS per election").
    tps_rows = list(
        Tps.every.filter(kelurahan=region, election_id=contest.election).only("code", "number")
    )
    sheets = {
        s.tps_id: s
        for s in Sheet.objects.filter(tps__kelurahan=region, contest_id=contest.code)
        .exclude(current=None)
        .select_related("current")
    }
    kind = RollupKind.VERIFIED if verified_only else RollupKind.PROVISIONAL
    rows = []
    for tps in tps_rows:
        sheet = sheets.get(tps.code)
        version = sheet.current if sheet is not None else None
        status = sheet.status if sheet is not None else "belum"
        if not counts_in(kind, status=status, version=version):
            version = None
        a = version.administrasi if version is not None else {}
        rows.append(
            {
                "code": tps.kpu_code,
                "name": f"TPS {tps.number:03d}",
                "level": "tps",
                "totals": dict(version.suara) if version is not None else {},
                "suara_sah": a.get("suara_sah", 0),
                "suara_tidak_sah": a.get("suara_tidak_sah", 0),
                "tps_total": 1,
                "tps_reported": int(version is not None),
                "tps_verified": int(status == SheetStatus.VERIFIED),
                "tps_held": int(
                    sheet is not None
                    and counts_in(RollupKind.HELD, status=status, version=sheet.current)
                ),
                "status": status,
            }
        )
    return rows, _rollups([region.code], contest.code)


def region_recap(
    region: Region, contest: ContestInfo, *, verified_only: bool = False
) -> dict[str, Any]:
    if region.level in KELURAHAN_LEVELS:
        children, rollups = _tps_children(region, contest, verified_only)
    else:
        children, rollups = _region_children(region, contest, verified_only)
    kind = RollupKind.VERIFIED if verified_only else RollupKind.PROVISIONAL
    own = _numbers(rollups.get((region.code, kind)))
    provisional = rollups.get((region.code, RollupKind.PROVISIONAL))
    verified = rollups.get((region.code, RollupKind.VERIFIED))
    held = rollups.get((region.code, RollupKind.HELD))
    stamps = [r.updated_at for r in (provisional, verified) if r is not None and r.updated_at]
    updated_at: datetime | None = max(stamps) if stamps else None
    result: dict[str, Any] = {
        "region": {"code": region.code, "name": region.name, "level": region.level},
        "contest": contest.code,
        "verified_only": verified_only,
        "totals": own["totals"],
        "suara_sah": own["suara_sah"],
        "suara_tidak_sah": own["suara_tidak_sah"],
        "surat_suara_digunakan": own["surat_suara_digunakan"],
        "pemilih_dpt": own["pemilih_dpt"],
        "tps_total": region.counts_in(contest.election)[0],
        "tps_reported": provisional.tps_reported if provisional else 0,
        "tps_verified": verified.tps_reported if verified else 0,
        "tps_held": held.tps_reported if held else 0,
        "children": children,
        "updated_at": updated_at.isoformat() if updated_at else None,
    }
    counted = own["totals"]
    if contest.kind == "party":
        result["party_totals"] = legislative_party_totals(own["totals"])
        counted = result["party_totals"]
    ordered = dict(sorted(counted.items(), key=lambda kv: _key_order(kv[0])))
    result["shares"] = {k: str(v) for k, v in shares(ordered).items()}
    return result


def recap_etag(recap: dict[str, Any]) -> str:
    """Changes whenever any number a client would show changes (cheap polling)."""
    basis = (
        f"{recap['updated_at']}|{recap['verified_only']}|{recap['tps_reported']}|"
        f"{recap['tps_verified']}|{recap['tps_held']}|{len(recap['children'])}"
    )
    if recap["region"]["level"] in KELURAHAN_LEVELS:
        basis += "|" + ",".join(
            f"{c['code']}:{c['status']}:{c['suara_sah']}" for c in recap["children"]
        )
    return '"' + hashlib.sha256(basis.encode()).hexdigest()[:32] + '"'
