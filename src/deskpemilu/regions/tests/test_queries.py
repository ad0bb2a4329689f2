"""Region pages and the region API read in a fixed number of queries, however many children
a region has (no N+1)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

# Pairs of regions of one level with different numbers of children.
PEJERUK, KARANG_TALIWANG = "5271011006", "5271031014"  # 30 and a different number of TPS
AMPENAN, SANDUBAYA = "527101", "527106"  # 10 and 8 kelurahan


def count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("first", "second"), [(PEJERUK, KARANG_TALIWANG), (AMPENAN, SANDUBAYA)], ids=["kel", "kec"]
)
def test_it_pages_in_constant_queries(client_for, admin, first, second):
    client = client_for(admin)
    client.get("/")  # the session's first-request work is not the page's
    assert count(client, f"/wilayah/{first}/") == count(client, f"/wilayah/{second}/")


def test_it_reads_a_kelurahan_page_in_few_queries(client_for, admin, django_assert_num_queries):
    client = client_for(admin)
    client.get("/")
    # session, user, the elections (which one is shown, and the switcher), the kelurahan, its
    # TPS, the breadcrumbs; another election's TPS cost no more
    with django_assert_num_queries(6):
        client.get(f"/wilayah/{PEJERUK}/")
    with django_assert_num_queries(6):
        client.get(f"/wilayah/{PEJERUK}/?pemilihan=pilkada2024")


def test_it_reads_the_city_page_in_few_queries(client_for, admin, django_assert_num_queries):
    client = client_for(admin)
    client.get("/")
    # session, user, the elections, the kota, its kecamatan, the kelurahan for the map, the
    # demo flag (no breadcrumbs: the kota is where the desk's scope starts); another election's
    # counts are on the same rows
    with django_assert_num_queries(7):
        client.get("/wilayah/5271/")
    with django_assert_num_queries(7):
        client.get("/wilayah/5271/?pemilihan=pilkada2024")


def test_it_reads_a_tps_page_in_few_queries(client_for, admin, django_assert_num_queries):
    client = client_for(admin)
    client.get("/")
    # session, user, the elections, the TPS with its kelurahan, the breadcrumbs
    with django_assert_num_queries(5):
        client.get("/wilayah/tps/5271011006001/")
    with django_assert_num_queries(5):
        client.get("/wilayah/tps/5271011006001/?pemilihan=pilkada2024")


@pytest.mark.parametrize(
    ("first", "second"),
    [(PEJERUK, KARANG_TALIWANG), (AMPENAN, SANDUBAYA), ("5271", AMPENAN)],
    ids=["kel", "kec", "kota"],
)
def test_it_answers_the_api_in_constant_queries(api_for, admin, first, second):
    client = api_for(admin)
    client.get("/api/v1/regions/5271")  # the token's first use is recorded once
    assert count(client, f"/api/v1/regions/{first}") == count(client, f"/api/v1/regions/{second}")


def test_it_answers_the_api_in_few_queries(api_for, admin, django_assert_num_queries):
    client = api_for(admin)
    client.get("/api/v1/regions/5271")
    # the token, the region, its children, the demo flag
    with django_assert_num_queries(4):
        client.get(f"/api/v1/regions/{AMPENAN}")
    # the token, the kelurahan, its TPS (the demo flag comes with them)
    with django_assert_num_queries(3):
        client.get(f"/api/v1/regions/{PEJERUK}")
