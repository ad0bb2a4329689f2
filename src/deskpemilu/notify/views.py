"""Notification pages: one's own list with mark-as-read, the header badge's count, and the
desk's settings (who is told what, webhooks, the outbox)."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from deskpemilu.accounts.models import Agency, Role, User
from deskpemilu.core.rules import roles, signed_in
from deskpemilu.notify import selectors, services, subscriptions
from deskpemilu.notify.models import Audience, Delivery, EventKind, NotificationRule, Webhook
from deskpemilu.notify.services import SEVERITY_ORDER


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


@signed_in
def notification_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    only_unread = request.GET.get("belum") == "1"
    qs = selectors.notifications_for(user, unread_only=only_unread)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    context = {"page": page, "unread": selectors.unread_count(user), "only_unread": only_unread}
    return render(request, "notify/list.html", context)


@signed_in
@require_POST
def notification_read(request: HttpRequest) -> HttpResponse:
    given = request.POST.getlist("id")
    ids = [int(v) for v in given if v.isascii() and v.isdigit() and len(v) <= 12][:500]
    if ids or not given:  # no id marks all; ids that are no numbers mark nothing
        services.notifications_mark_read(actor=_user(request), ids=ids or None)
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect("notification_list")


@signed_in
def notification_count(request: HttpRequest) -> HttpResponse:
    """The header badge polls this (notify/badge.js): the page itself makes no query for it."""
    response = JsonResponse({"unread": selectors.unread_count(_user(request))})
    response["Cache-Control"] = "private, no-store"
    return response


@roles("admin")
def notification_settings(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if request.method == "POST":
        _settings_post(request, user)
        return redirect("notification_settings")
    context = {
        "rules": NotificationRule.objects.select_related("agency"),
        "webhooks": Webhook.objects.all(),
        "events": EventKind.choices,
        "audiences": Audience.choices,
        "roles": Role.choices,
        "agencies": Agency.objects.filter(is_active=True).order_by("kind", "name"),
        "severities": SEVERITY_ORDER,
        "outbox": Delivery.objects.order_by("-id").select_related("recipient", "webhook")[:30],
        "pending": Delivery.objects.filter(delivered_at=None, failed_at=None).count(),
        "failed": Delivery.objects.exclude(failed_at=None).count(),
        "with_email": User.objects.filter(is_active=True).exclude(email="").order_by("username"),
    }
    return render(request, "notify/settings.html", context)


@roles("admin")
@require_POST
def notification_test_email(request: HttpRequest) -> HttpResponse:
    """ "Kirim pesan uji": one email to an account, through the outbox."""
    username = request.POST.get("akun", "")
    recipient = User.objects.filter(username=username, is_active=True).exclude(email="").first()
    if recipient is None:
        messages.error(request, _("Pilih akun yang punya alamat email."))
        return redirect("notification_settings")
    delivery = services.test_email_queue(actor=_user(request), recipient=recipient)
    messages.success(
        request,
        _("Pesan uji #%(id)s untuk %(to)s masuk antrean kirim; lihat keadaannya di bawah.")
        % {"id": delivery.pk, "to": recipient.email},
    )
    return redirect("notification_settings")


def _settings_post(request: HttpRequest, user: User) -> None:
    post = request.POST
    try:
        if post.get("rule"):
            rule = get_object_or_404(NotificationRule, pk=post["rule"])
            subscriptions.rule_set_active(actor=user, rule=rule, active=post.get("active") == "1")
        elif post.get("rule_event"):
            agency = Agency.objects.filter(slug=post.get("rule_agency", "")).first()
            subscriptions.rule_save(
                actor=user,
                event=post["rule_event"],
                audience=post.get("rule_audience", ""),
                role=post.get("rule_role", ""),
                agency_id=agency.pk if agency else None,
                min_severity=post.get("rule_min_severity", ""),
                in_app=post.get("rule_in_app") == "1",
                email=post.get("rule_email") == "1",
            )
        elif post.get("webhook_name"):
            _hook, secret = subscriptions.webhook_save(
                actor=user,
                name=post["webhook_name"],
                url=post.get("webhook_url", ""),
                events=post.getlist("webhook_events"),
                min_severity=post.get("webhook_min_severity", ""),
            )
            messages.success(
                request, _("Webhook disimpan. Rahasia penanda tangan: %(s)s") % {"s": secret}
            )
            return
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return
    messages.success(request, _("Tersimpan."))
