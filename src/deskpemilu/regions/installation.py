"""The installation's region (`DESKPEMILU_REGION`): a kota/kabupaten such as 5271, a province,
or "0", the whole country (the top-level regions of the database are its children).

Pages ask here rather than reading the setting, so that "0" means the nation everywhere and
the header names the region that is loaded, not a city written into a template.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from deskpemilu.regions.models import Region

NATION = "0"
NATION_LEVEL = "nasional"

# Region code → the name shown in the header. Read once per process (names change only through
# `load_regions`, which forgets them), so the header costs no query on a page.
_names: dict[str, str] = {}


def code() -> str:
    return str(settings.DESKPEMILU_INSTALLATION_REGION)


def is_nation(region_code: str) -> bool:
    return region_code == NATION


def prefix(region_code: str) -> str:
    """What the region codes under `region_code` start with: "" for the nation (every code)."""
    return "" if is_nation(region_code) else region_code


def code_prefix() -> str:
    """What every region code of the installation starts with ("" in national mode)."""
    return prefix(code())


def nation(*, counts: bool = True) -> Region:
    """An unsaved region standing for the whole installation (code "0"): its children are the
    top-level regions (the provinces of a national installation), its counts their sums, per
    election too (`counts=False`: none, no query, for a breadcrumb)."""
    if not counts:
        return Region(code=NATION, name="Nasional", level=NATION_LEVEL)
    top = list(
        Region.objects.filter(parent=None).only("tps_count", "dpt_l", "dpt_p", "election_counts")
    )
    root = Region(code=NATION, name="Nasional", level=NATION_LEVEL)
    root.tps_count = sum(r.tps_count for r in top)
    root.dpt_l = sum(r.dpt_l for r in top)
    root.dpt_p = sum(r.dpt_p for r in top)
    # Per election too (each election has its own TPS: README, "TPS per election").
    split: dict[str, list[int]] = {}
    for r in top:
        for election in r.election_counts:
            total = split.setdefault(election, [0, 0, 0])
            for i, n in enumerate(r.counts_in(election)):
                total[i] += n
    root.election_counts = split
    return root


def children_of(region: Region) -> QuerySet[Region]:
    """The regions right under `region`: for the nation, the top-level ones."""
    if is_nation(region.code):
        return Region.objects.filter(parent=None)
    return region.children.all()


def name(region_code: str | None = None) -> str:
    """The name of the installation's region, for the header ("Kota Mataram", "Kabupaten
    Sumbawa Barat", "Nasional"); the code itself while that region is not loaded."""
    wanted = code() if region_code is None else region_code
    if is_nation(wanted):
        return _("Nasional")
    known = _names.get(wanted)
    if known is None:
        region = Region.objects.filter(code=wanted).only("name").first()
        if region is None:
            return wanted  # not loaded yet: say so by the code, and ask again next time
        known = _names[wanted] = region.name
    return known


def forget() -> None:
    """Drop the remembered names (after the regions changed)."""
    _names.clear()
