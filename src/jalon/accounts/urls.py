from django.urls import path

from . import oidc, views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("oidc/authenticate/", oidc.RequestView.as_view(), name="oidc_authentication_init"),
    path("oidc/callback/", oidc.CallbackView.as_view(), name="oidc_authentication_callback"),
    path("account/", views.account, name="account"),
    path("account/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("account/otp/verify/", views.otp_verify, name="otp_verify"),
    path("account/otp/setup/", views.otp_setup, name="otp_setup"),
    path("account/otp/remove/", views.otp_remove, name="otp_remove"),
    path("invitations/<str:token>/", views.invitation, name="invitation_accept"),
]
