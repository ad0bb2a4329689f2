"""The default rules of who is told what (the desk can change them on /notifikasi/atur/)."""

from django.db import migrations

# (event, audience, role, min_severity, in_app, email)
DEFAULT_RULES = [
    ("incident.reported", "role", "admin", "", True, True),
    ("incident.reported", "role", "viewer", "kritis", True, True),
    ("incident.forwarded", "agency", "liaison", "", True, True),
    ("incident.status", "owner", "", "", True, False),
    ("incident.status", "agency", "liaison", "", True, False),
    ("incident.status", "role", "admin", "", True, False),
    ("incident.note", "owner", "", "", True, False),
    ("incident.note", "agency", "liaison", "", True, False),
    ("incident.note", "role", "admin", "", True, False),
    ("incident.escalated", "role", "admin", "", True, True),
    ("incident.escalated", "role", "viewer", "kritis", True, False),
    ("request.submitted", "role", "admin", "", True, True),
    ("request.assigned", "agency", "liaison", "", True, True),
    ("request.status", "owner", "", "", True, False),
    ("request.status", "role", "admin", "", True, False),
]


def seed(apps, schema_editor):
    Rule = apps.get_model("notify", "NotificationRule")
    if Rule.objects.exists():
        return
    Rule.objects.bulk_create(
        Rule(
            event=event,
            audience=audience,
            role=role,
            min_severity=severity,
            in_app=in_app,
            email=email,
        )
        for event, audience, role, severity, in_app, email in DEFAULT_RULES
    )


class Migration(migrations.Migration):
    dependencies = [("notify", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
