"""Seat projections through HTTP: sheets entered through the API, seats per dapil by
Sainte-Laguë, with known answers.

The vote figures below are CONSTRUCTED (scaled down to fit a few TPS); the winners they must
produce are the PUBLISHED DPRD Kota Mataram 2024 seat winners of shared/reference-data/
mataram_dprd_dapil_2024.csv. Party keys are the 2024 ballot numbers: 1 PKB, 2 Gerindra,
3 PDI-P, 4 Golkar, 5 NasDem, 8 PKS, 10 Hanura, 12 PAN, 14 Demokrat, 15 PSI, 16 Perindo,
17 PPP.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from deskpemilu.dashboard.tests.helpers import put, votes_only

MATARAM = "5271021001"  # Kelurahan Pagesangan, Kecamatan Mataram = Dapil Kota Mataram 1
AMPENAN = "5271011004"  # Kelurahan Ampenan Selatan, Kecamatan Ampenan = Dapil 3 (inferred)


def spread(votes: dict[str, int], parts: int) -> list[dict[str, int]]:
    """Split the totals over `parts` TPS as evenly as whole votes allow (sums unchanged)."""
    sheets: list[dict[str, int]] = [{} for _ in range(parts)]
    for key, total in votes.items():
        for i in range(parts):
            sheets[i][key] = total // parts + (1 if i < total % parts else 0)
    return sheets


def enter_totals(client, contest: str, kelurahan: str, votes: dict[str, int], parts: int = 3):
    for n, part in enumerate(spread(votes, parts), start=1):
        tps = f"{kelurahan}{n:03d}"
        put(client, contest, tps, votes_only(tps, contest, part))


def projection(page, code: str):
    return next(p for p in page.context["projections"] if p.dapil.code == code)


def winners(proj) -> dict[str, int]:
    return {r.key: r.seats for r in proj.parties if r.seats}


@pytest.mark.django_db
def test_it_projects_dapil_1_with_its_published_winners(client_for, api_for, admin):
    # Dapil 1 (7 seats), published: PKS, Gerindra, Golkar, NasDem, Demokrat, PDI-P, PPP.
    # Constructed: PKS 74 (30 party + 44 for candidate 8.2), Gerindra 70, Golkar 61, NasDem 55,
    # Demokrat 49, PDI-P 44, PPP 40 win at divisor 1; the best losers PKB 31 and PAN 29, and
    # PKS 74/3 = 24.67, are all below the 7th quotient, 40.
    votes = {"8": 30, "8.2": 44, "2": 70, "4": 61, "5": 55, "14": 49, "3": 44, "17": 40,
             "1": 31, "12": 29, "10": 14, "15": 12, "16": 6}  # fmt: skip
    enter_totals(api_for(admin), "dprd-kabkota", MATARAM, votes)
    page = client_for(admin).get("/rekap/dprd-kabkota/527102/kursi/")
    assert page.status_code == 200
    proj = projection(page, "mataram-1")
    assert winners(proj) == {"8": 1, "2": 1, "4": 1, "5": 1, "14": 1, "3": 1, "17": 1}
    pks = next(r for r in proj.parties if r.key == "8")
    assert pks.votes == 74  # party votes + candidate votes
    assert [c.key for c in pks.elected] == ["8.2"]
    assert [float(q.value) for q in pks.quotients[:2]] == [74.0, pytest.approx(24.667, 1e-3)]
    assert proj.last_quotient == Fraction(40)
    assert (proj.tps_reported, proj.tps_total) == (3, 222)
    assert not proj.dapil.is_inferred
    # Vote shares are largest-remainder shares, like every other table: exactly 100 together.
    assert round(sum(r.percent for r in proj.parties), 2) == 100
    assert pks.percent == 15.26  # 74 / 485 = 15.258…


@pytest.mark.django_db
def test_it_projects_dapil_3_with_two_seats_for_golkar(client_for, api_for, admin):
    # Dapil 3 (8 seats), published: Golkar 2, PKS, PAN, Gerindra, Hanura, Demokrat, PDI-P.
    # Constructed: Golkar 102, PKS 62, PAN 54, Gerindra 50, Hanura 42, Demokrat 39, PDI-P 36
    # take seats 1-7; the 8th goes to Golkar 102/3 = 34, above NasDem 32 and PKB 29.
    votes = {"4": 102, "8": 62, "12": 54, "2": 50, "10": 42, "14": 39, "3": 36, "5": 32,
             "1": 29, "17": 23}  # fmt: skip
    enter_totals(api_for(admin), "dprd-kabkota", AMPENAN, votes)
    page = client_for(admin).get("/rekap/dprd-kabkota/527101/kursi/")
    proj = projection(page, "mataram-3")
    assert winners(proj) == {"4": 2, "8": 1, "12": 1, "2": 1, "10": 1, "14": 1, "3": 1}
    assert proj.last_quotient == Fraction(102, 3)
    html = page.content.decode()
    assert "pemetaan diduga" in html  # Dapil 3's kecamatan is inferred in the reference data
    assert "34,00" in html  # the quotient table, Indonesian decimals


@pytest.mark.django_db
def test_it_lists_every_dapil_of_the_city(client_for, admin):
    page = client_for(admin).get("/rekap/dprd-kabkota/5271/kursi/")
    codes = [p.dapil.code for p in page.context["projections"]]
    assert codes == [f"mataram-{n}" for n in range(1, 7)]
    assert sum(p.seats for p in page.context["projections"]) == 40
    prov = client_for(admin).get("/rekap/dprd-prov/5271/kursi/").context["projections"]
    assert [(p.dapil.code, p.seats) for p in prov] == [("ntb-1", 5)]


DPR = {"4": 200, "2": 150, "8": 125, "3": 100, "1": 75, "12": 60, "17": 55, "15": 15}


@pytest.mark.django_db
def test_it_applies_the_dpr_threshold_on_request(client_for, api_for, admin):
    # 8 seats. Without a threshold: 200 150 125 100 75 66.7 (200/3) 60 55 → PPP (17) takes
    # the 8th seat, above Gerindra 150/3 = 50.
    enter_totals(api_for(admin), "dpr", "5271031006", DPR, parts=6)
    web = client_for(admin)
    plain = projection(web.get("/rekap/dpr/5271/kursi/"), "ntb-2")
    assert winners(plain) == {"4": 2, "2": 1, "8": 1, "3": 1, "1": 1, "12": 1, "17": 1}

    # From this installation's totals: PSI has 15 of 780 (1.9 %), below 4 %; PPP 7 % passes.
    local = web.get("/rekap/dpr/5271/kursi/?ambang=instalasi")
    assert local.context["threshold"].eligible is not None
    assert "15" not in local.context["threshold"].eligible
    assert "bukan nasional" in local.content.decode()

    # National totals typed in: PPP 3 % and PSI 1 % fall below 4 %; PPP's seat goes to
    # the next quotient, Gerindra 150/3 = 50.
    national = {"4": 3000, "2": 2500, "8": 1500, "3": 1200, "1": 900, "12": 500, "17": 300,
                "15": 100}  # fmt: skip
    query = "&".join(f"nasional_{k}={v}" for k, v in national.items())
    typed = web.get(f"/rekap/dpr/5271/kursi/?ambang=nasional&{query}")
    proj = projection(typed, "ntb-2")
    assert winners(proj) == {"4": 2, "2": 2, "8": 1, "3": 1, "1": 1, "12": 1}
    assert not next(r for r in proj.parties if r.key == "17").eligible
    assert "tidak lolos ambang" in typed.content.decode()


@pytest.mark.django_db
def test_it_refuses_a_national_list_that_is_not_numbers(client_for, admin):
    page = client_for(admin).get("/rekap/dpr/5271/kursi/?ambang=nasional&nasional_4=banyak")
    assert page.status_code == 200
    assert page.context["problem"]
    assert not page.context["threshold"].applied


@pytest.mark.django_db
def test_it_offers_no_threshold_outside_the_dpr(client_for, admin):
    page = client_for(admin).get("/rekap/dprd-kabkota/5271/kursi/?ambang=instalasi")
    assert not page.context["threshold"].applied
    assert 'name="ambang"' not in page.content.decode()


@pytest.mark.django_db
def test_it_projects_verified_sheets_only_on_request(client_for, api_for, admin):
    enter_totals(api_for(admin), "dprd-kabkota", MATARAM, {"4": 90, "8": 60})
    web = client_for(admin)
    provisional = projection(web.get("/rekap/dprd-kabkota/527102/kursi/"), "mataram-1")
    assert provisional.votes_total == 150
    verified = projection(
        web.get("/rekap/dprd-kabkota/527102/kursi/?data=terverifikasi"), "mataram-1"
    )
    assert verified.votes_total == 0
    assert winners(verified) == {}


@pytest.mark.django_db
def test_it_projects_only_dapil_inside_the_readers_scope(client_for, camat, lurah):
    camat_page = client_for(camat).get("/rekap/dprd-kabkota/527106/kursi/")
    assert [p.dapil.code for p in camat_page.context["projections"]] == ["mataram-6"]
    assert client_for(camat).get("/rekap/dprd-kabkota/5271/kursi/").status_code == 403
    # A kelurahan holds no whole dapil: nothing to project, and nothing outside is summed.
    mine = client_for(lurah).get("/rekap/dprd-kabkota/5271011006/kursi/")
    assert mine.status_code == 200
    assert mine.context["projections"] == []
    assert client_for(lurah).get("/rekap/ppwp/5271011006/kursi/").status_code == 404


@pytest.mark.django_db
def test_it_projects_the_city_in_constant_queries(
    client_for, api_for, admin, django_assert_max_num_queries
):
    enter_totals(api_for(admin), "dprd-kabkota", MATARAM, {"4": 90, "8": 60, "4.1": 10})
    web = client_for(admin)
    with django_assert_max_num_queries(10):
        assert web.get("/rekap/dprd-kabkota/5271/kursi/").status_code == 200


@pytest.mark.django_db
def test_it_sums_the_seats_of_the_whole_council(client_for, api_for, admin):
    enter_totals(api_for(admin), "dprd-kabkota", MATARAM, {"4": 90, "8": 60, "2": 30})
    page = client_for(admin).get("/rekap/dprd-kabkota/5271/kursi/")
    totals = {t.key: t.total for t in page.context["seat_totals"]}
    # Only Dapil 1 has votes (7 seats). Quotients in order: Golkar 90, PKS 60, Golkar 90/3 = 30
    # and Gerindra 30 (a tie: more votes first), PKS 60/3 = 20, Golkar 90/5 = 18, then Golkar
    # 90/7 = 12.86 above PKS 60/5 = 12 → Golkar 4, PKS 2, Gerindra 1.
    assert totals == {"4": 4, "8": 2, "2": 1}
    assert page.context["seats_total"] == 40
    assert "Ringkasan kursi per partai" in page.content.decode()
