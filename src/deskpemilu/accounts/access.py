"""The only door to protected rows (Zulip's `access_*_by_id`).

Each helper answers the same 404 for "does not exist" and "not yours", so an account cannot learn
what exists outside its scope. A region or TPS code outside the account's area is refused before
anything is looked up (`OutsideArea`, a 404 to the API): a page says "outside your area" (403)
for any such code, existing or not, so that still reveals nothing.
Every view and API operation fetches regions and TPS through here.
"""

from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from deskpemilu.accounts.models import WRITING_ROLES, Role, User
from deskpemilu.core import rows
from deskpemilu.core.errors import OutsideArea
from deskpemilu.core.rows import Prepared
from deskpemilu.regions import installation
from deskpemilu.regions.models import Region, Tps, tps_key

ELECTION_SLUG = re.compile(r"[a-z0-9_-]+")


def is_code(text: str) -> bool:
    """ASCII digits only: str.isdigit() also accepts "¹" or "٣", which are no region code."""
    return 0 < len(text) <= 13 and text.isascii() and text.isdigit()


def can_write(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.role in WRITING_ROLES


def require_role(user: User, *allowed: Role | str) -> None:
    if not user.is_authenticated or user.role not in allowed:
        raise PermissionDenied


def _outside(user: User) -> OutsideArea:
    """Outside the account's area, whether or not the code exists (pages answer 403 naming the
    account's own area; the API 404)."""
    region = Region.objects.filter(code=user.scope).first() if user.scope else None
    return OutsideArea(f"{region.get_level_display()} {region.name}" if region else user.scope)


def get_region_for(user: User, code: str) -> Region:
    if code == installation.NATION:
        # The whole installation (every top-level region): for the accounts that see all of it.
        if not user.sees_all_areas:
            raise _outside(user)
        return installation.nation()
    if not is_code(code):
        raise Http404
    if not user.in_scope(code):
        raise _outside(user)
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise Http404
    return region


# The TPS of every write, with its kelurahan but not the kelurahan's boundary (a write never
# draws the map: parsing its GeoJSON cost a sheet write its lock), by storage key or by the
# active election's KPU code: queries compiled once (core.rows.Prepared).
_BY_KEY = Prepared(
    lambda: Tps.every.filter(code="").select_related("kelurahan").defer("kelurahan__boundary")[:1],
    lambda key: [key],
)
_BY_ACTIVE_CODE = Prepared(
    lambda: (
        Tps.objects.with_kpu_code("0" * 13)
        .select_related("kelurahan")
        .defer("kelurahan__boundary")[:1]
    ),
    lambda code: [code, code + "@%"],
)
_TPS_COLUMNS = len(Tps._meta.concrete_fields)
_KELURAHAN_FIELDS = [f.attname for f in Region._meta.concrete_fields if f.name != "boundary"]


def _tps_to_write(code: str, *, exact: bool = False) -> Tps | None:
    """The TPS by storage key (`exact`) or the active election's by KPU code (a 13-digit code:
    nothing in it a LIKE pattern would read)."""
    found = (_BY_KEY if exact else _BY_ACTIVE_CODE).rows(code)
    if not found:
        return None
    tps: Tps = rows.load(Tps, found[0][:_TPS_COLUMNS])
    tps.kelurahan = rows.load(Region, found[0][_TPS_COLUMNS:], _KELURAHAN_FIELDS)
    return tps


def get_tps_for(user: User, code: str, *, write: bool = False, election: str | None = None) -> Tps:
    """TPS `code` of election `election` (its code: a contest's, or `?pemilihan=`), by default
    of the active one. `code` is the 13-digit KPU code,
    or a storage key `<code>@<election>` (the links of another election's TPS carry it)."""
    code, at, named = code.partition("@")
    if not is_code(code) or len(code) != 13:
        raise Http404
    # An election code is a short slug; anything else (a NUL PostgreSQL refuses to compare)
    # names no TPS.
    if at and not (0 < len(named) <= 20 and named.isascii() and ELECTION_SLUG.fullmatch(named)):
        raise Http404
    if not user.in_scope(code):
        raise _outside(user)
    if named and election is not None and named != election:
        raise Http404
    if write:
        key = named or election
        tps = _tps_to_write(tps_key(code, key), exact=True) if key else _tps_to_write(code)
    else:
        if named:
            candidates = Tps.every.filter(code=tps_key(code, named))
        elif election is not None:
            candidates = Tps.every.filter(code=tps_key(code, election))
        else:  # the active election's, whichever key it has: one query
            candidates = Tps.objects.with_kpu_code(code)
        tps = candidates.select_related("kelurahan").first()
    if tps is None:
        raise Http404
    if write and not can_write(user):
        raise PermissionDenied
    return tps


def home_region_code(user: User, installation_code: str) -> str:
    """Where an account's browsing starts: its scope, or the installation's region."""
    if user.sees_everything or not user.scope:
        return installation_code
    return user.scope


def regions_for(user: User) -> QuerySet[Region]:
    return Region.objects.filter(user.scope_filter("code"))


def tps_for(user: User, *, election: str | None = None) -> QuerySet[Tps]:
    """The TPS of election `election` (by default the active one) inside the account's area."""
    rows = Tps.objects if election is None else Tps.every.filter(election_id=election)
    return rows.filter(user.scope_filter("code"))
