from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from deskpemilu.audit.models import AuditEntry
from deskpemilu.audit.services import head, verify_chain
from deskpemilu.core.rules import roles

PAGE_SIZE = 50


@roles("admin")
def audit_log(request: HttpRequest) -> HttpResponse:
    entries = AuditEntry.objects.order_by("-seq").only(
        "seq", "at", "actor_name", "action", "object_type", "object_id", "hash"
    )
    action = request.GET.get("action", "").strip()[:64]
    if action:
        entries = entries.filter(action__startswith=action)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    seq, head_hash = head()
    report = verify_chain() if request.GET.get("verify") == "1" else None
    return render(
        request,
        "audit/log.html",
        {"page": page, "action": action, "head_seq": seq, "head_hash": head_hash, "report": report},
    )
