from django.urls import path

from deskpemilu.offline import views

urlpatterns = [
    path("manifest.webmanifest", views.manifest, name="offline_manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("luring/", views.offline_page, name="offline_page"),
    path("luring/aturan.json", views.rules, name="offline_rules"),
    path("luring/halaman.json", views.pages, name="offline_pages"),
    path("luring/antrean/", views.queue, name="offline_queue"),
]
