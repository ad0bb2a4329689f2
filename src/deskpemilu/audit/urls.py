from django.urls import path

from deskpemilu.audit import views

urlpatterns = [
    path("", views.audit_log, name="audit_log"),
]
