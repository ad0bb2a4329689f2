"""The team's tabs offer the meetings exactly to whom the meeting pages answer."""

import pytest

MEETINGS_TAB = b'href="/tim/rapat/"'


@pytest.mark.django_db
def test_the_meetings_tab_follows_the_meeting_pages_rule(
    client_for, admin, viewer, verifier, lurah, dinkes
):
    users = (admin, viewer, verifier, lurah, dinkes)
    for user in users:
        client = client_for(user)
        shown = MEETINGS_TAB in client.get("/tim/").content
        answered = client.get("/tim/rapat/").status_code == 200
        assert shown == answered, user.role
    assert sum(MEETINGS_TAB in client_for(u).get("/tim/").content for u in users) == 3
