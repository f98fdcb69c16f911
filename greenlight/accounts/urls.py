from django.urls import path

from . import oidc, views

app_name = "accounts"

urlpatterns = [
    path("sso/login/", oidc.SignOnStartView.as_view(), name="sso_login"),
    path("sso/callback/", oidc.SignOnCallbackView.as_view(), name="sso_callback"),
    path("login/verify/", views.mfa_verify, name="mfa_verify"),
    path("mfa/", views.mfa_setup, name="mfa_setup"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("locks/", views.locks, name="locks"),
    path("policy/", views.policy, name="policy"),
    path("locks/lift/", views.lock_lift, name="lock_lift"),
]
