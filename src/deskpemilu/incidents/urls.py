from django.urls import path

from deskpemilu.incidents import request_views, views

urlpatterns = [
    path("", views.board, name="incident_board"),
    path("lapor/", views.report, name="incident_report"),
    path("ekspor.xlsx", views.export, name="incident_export"),
    path("<int:pk>/", views.detail, name="incident_detail"),
    path("<int:pk>/langkah/", views.step, name="incident_step"),
    path("<int:pk>/foto/", views.photo_add, name="incident_photo_add"),
    path("<int:pk>/foto/<str:sha256>.jpg", views.photo, name="incident_photo"),
    path("permintaan/", request_views.requests, name="request_list"),
    path("permintaan/<int:pk>/", request_views.request_detail, name="request_detail"),
    path("permintaan/<int:pk>/langkah/", request_views.request_step, name="request_step"),
]
