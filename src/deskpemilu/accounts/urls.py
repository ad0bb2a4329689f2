from django.urls import path

from deskpemilu.accounts import twofactor_views, views

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("me/", views.profile, name="profile"),
    path("users/", views.account_list, name="account_list"),
    path("users/new/", views.account_create, name="account_create"),
    path("users/<int:pk>/", views.account_edit, name="account_edit"),
    path("users/<int:pk>/deactivate/", views.account_deactivate, name="account_deactivate"),
    path("users/<int:pk>/activate/", views.account_activate, name="account_activate"),
    path("tokens/", views.my_tokens, name="my_tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("2fa/", twofactor_views.twofactor_page, name="twofactor"),
    path("2fa/recovery/", twofactor_views.recovery_renew, name="twofactor_recovery"),
    path("users/<int:pk>/2fa/reset/", twofactor_views.twofactor_reset, name="twofactor_reset"),
]
