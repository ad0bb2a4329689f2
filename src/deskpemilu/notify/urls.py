from django.urls import path

from deskpemilu.notify import views

urlpatterns = [
    path("", views.notification_list, name="notification_list"),
    path("baca/", views.notification_read, name="notification_read"),
    path("jumlah.json", views.notification_count, name="notification_count"),
    path("atur/", views.notification_settings, name="notification_settings"),
    path("atur/uji-email/", views.notification_test_email, name="notification_test_email"),
]
