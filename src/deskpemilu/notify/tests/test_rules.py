"""Who is told what: by rule (event, role, agency, severity), only people who may see it, and
never the person who acted."""

import pytest

from deskpemilu.incidents.tests.helpers import report, step
from deskpemilu.notify.models import Delivery, Notification, NotificationRule


def told(user):
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


@pytest.fixture
def tni(make_user):
    return make_user("tni_liaison", "liaison", "", "tni")


@pytest.mark.django_db
def test_a_report_tells_the_desk_not_the_reporter(api_for, lurah, admin, polri, viewer):
    report(api_for(lurah))
    assert told(admin) == ["incident.reported"]
    assert told(lurah) == []
    assert told(polri) == []  # not forwarded to Polri: Polri may not even see it
    assert told(viewer) == []  # viewers hear of kritis ones only


@pytest.mark.django_db
def test_a_critical_report_tells_the_viewers_too(api_for, lurah, viewer):
    report(api_for(lurah), severity="kritis")
    assert told(viewer) == ["incident.reported"]


@pytest.mark.django_db
def test_forwarding_tells_that_agencys_liaisons_only(api_for, lurah, admin, polri, tni):
    incident = report(api_for(lurah))["id"]
    step(api_for(admin), incident, forward_to=["polri"])
    assert told(polri) == ["incident.forwarded"]
    assert told(tni) == []


@pytest.mark.django_db
def test_an_answer_tells_the_reporter_and_the_desk(api_for, lurah, admin, polri):
    incident = report(api_for(lurah))["id"]
    step(api_for(admin), incident, forward_to=["polri"])
    step(api_for(polri), incident, status="ditangani", note="Unit meluncur")
    assert "incident.status" in told(lurah)
    assert told(admin) == ["incident.status", "incident.reported"]


@pytest.mark.django_db
def test_rules_can_be_switched_off(api_for, lurah, admin):
    NotificationRule.objects.filter(event="incident.reported", role="admin").update(is_active=False)
    report(api_for(lurah))
    assert told(admin) == []


@pytest.mark.django_db
def test_a_rule_by_agency_and_severity(api_for, lurah, admin, make_user):
    bpbd = make_user("bpbd_liaison", "liaison", "", "bpbd")
    NotificationRule.objects.create(
        event="incident.forwarded",
        audience="agency",
        role="liaison",
        agency=bpbd.agency,
        min_severity="kritis",
        in_app=False,
        email=True,
    )
    bpbd.email = "bpbd@example.go.id"
    bpbd.save()
    incident = report(api_for(lurah), category="bencana", severity="kritis")["id"]
    step(api_for(admin), incident, forward_to=["bpbd"])
    assert Delivery.objects.filter(recipient=bpbd, channel="email").count() == 1


@pytest.mark.django_db
def test_escalation_tells_the_desk_once(api_for, lurah, admin):
    from datetime import timedelta

    from django.utils import timezone

    from deskpemilu.incidents.escalation import incidents_escalate
    from deskpemilu.incidents.models import Incident, TimelineEvent

    incident = report(api_for(lurah), severity="kritis")["id"]
    assert incidents_escalate() == 0
    later = timezone.now() + timedelta(minutes=16)  # past the 15-minute ack SLA of kritis
    assert incidents_escalate(now=later) == 1
    assert incidents_escalate(now=later) == 0
    assert told(admin).count("incident.escalated") == 1
    last = TimelineEvent.objects.filter(incident_id=incident).last()
    assert last.actor is None and "Eskalasi" in last.note
    assert Incident.objects.get(pk=incident).escalation_level == 1
    # Past the resolve SLA as well: a second, last alert.
    assert incidents_escalate(now=later + timedelta(hours=2)) == 1
    assert told(admin).count("incident.escalated") == 2


@pytest.mark.django_db
def test_an_acknowledged_incident_is_not_escalated_for_acknowledging(api_for, lurah, admin):
    from datetime import timedelta

    from django.utils import timezone

    from deskpemilu.incidents.escalation import incidents_escalate

    incident = report(api_for(lurah), severity="kritis")["id"]
    step(api_for(admin), incident, status="diverifikasi")
    assert incidents_escalate(now=timezone.now() + timedelta(minutes=16)) == 0
