"""The selectors and snippets the situation room (dashboard) includes."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from deskpemilu.team.selectors import current_shifts, on_duty_now, open_action_items
from deskpemilu.team.tests.conftest import wita


@pytest.mark.django_db
def test_it_renders_who_is_on_duty(viewer):
    at = wita(2024, 2, 14, 9, 0)
    request = RequestFactory().get("/")
    request.user = viewer
    html = render_to_string(
        "team/_on_duty.html",
        {"on_duty": on_duty_now(at), "shifts_now": current_shifts(at)},
        request=request,
    )
    assert "Piket posko sekarang" in html
    assert html.count("<li>") == 2
    assert "Sif Pagi · 07.00–15.00" in html


@pytest.mark.django_db
def test_it_renders_the_open_action_items_of_a_user(polri, meeting, freeze):
    freeze(wita(2024, 2, 20, 8, 0))
    items = open_action_items(polri)
    assert [a.agency.slug for a in items] == ["polri"]
    html = render_to_string("team/_action_items.html", {"action_items": items[:5]})
    assert "Patroli kamtibmas" in html
    assert "terlambat" in html


@pytest.mark.django_db
def test_it_reads_the_open_items_in_one_query(viewer, meeting, django_assert_num_queries):
    with django_assert_num_queries(1):
        items = list(open_action_items(viewer))
        assert [a.agency.name for a in items]  # related rows come with the query
    assert len(items) == 3
