"""/api/v1/notifications: one's own notifications, unread counts, marking read."""

import json

import pytest

from deskpemilu.incidents.tests.helpers import report
from deskpemilu.notify.models import Notification


@pytest.mark.django_db
def test_it_lists_and_marks_read(api_for, lurah, admin, make_user):
    other_admin = make_user("admin_desk_2", "admin")
    report(api_for(lurah))
    report(api_for(lurah))
    client = api_for(admin)
    data = client.get("/api/v1/notifications").json()
    assert data["unread"] == 2 and len(data["items"]) == 2
    first = data["items"][0]["id"]
    response = client.post(
        "/api/v1/notifications/read", json.dumps({"ids": [first]}), "application/json"
    )
    assert response.json() == {"marked": 1}
    assert client.get("/api/v1/notifications?unread=true").json()["unread"] == 1
    # Someone else's ids are not theirs to mark.
    theirs = Notification.objects.filter(recipient=other_admin).first().pk
    mark = api_for(admin).post(
        "/api/v1/notifications/read", json.dumps({"ids": [theirs]}), "application/json"
    )
    assert mark.json() == {"marked": 0}
    assert client.post("/api/v1/notifications/read", "{}", "application/json").json() == {
        "marked": 1
    }
    assert Notification.objects.filter(recipient=other_admin, read_at=None).count() == 2
