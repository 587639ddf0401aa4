"""Sign-in and the account's own pages: lockout answer, second factor, API tokens, invitations.

- ``LoginView``: the password form, and «Se connecter avec …» when OpenID Connect is set up.
- ``locked_out``: django-axes' answer once a username+address pair is locked (429, translated).
- Second factor (TOTP, django-otp): ``otp_verify`` after sign-in for an account that has one;
  ``otp_setup`` to add one (required for administrators with ``JALON_ADMIN_OTP_REQUIRED=1``).
  The pending step is kept in the session at sign-in (``second_factor_step``) and enforced by
  ``accounts.middleware.SecondFactorMiddleware``.
- ``tokens``: the owner's API tokens (created, listed by prefix, revoked; stored hashed).
- ``invitation``: accept an organization's invitation, signing in or creating an account first.
"""

from __future__ import annotations

import base64
import datetime as dt

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from jalon.accounts.models import ApiToken, Membership, Role
from jalon.orgadmin import services as orgadmin

SESSION_STEP = "jalon_second_factor"  # "verify" or "setup" while the step is pending
GET_POST = require_http_methods(["GET", "POST"])


# -- sign-in ----------------------------------------------------------------------------------
def client_ip(request) -> str:
    """The caller's address for the lockout: REMOTE_ADDR, or behind ``JALON_PROXY_COUNT``
    trusted reverse proxies the address they saw (X-Forwarded-For, counted from the right)."""
    count = settings.JALON_PROXY_COUNT
    if count:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
                if h.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR", "")


def _login_context() -> dict:
    return {"oidc_enabled": settings.JALON_OIDC_ENABLED, "oidc_name": settings.JALON_OIDC_NAME}


class LoginView(auth_views.LoginView):
    template_name = "jalon/login.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(_login_context())
        if self.request.GET.get("oidc") == "failed":
            ctx["oidc_failed"] = True
        return ctx


def locked_out(request, credentials, *args, **kwargs):
    """django-axes: too many failed sign-ins for this username from this address."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    form = auth_views.AuthenticationForm(request, data=None)
    ctx = {"form": form, "locked": _("Trop de tentatives de connexion échouées. Réessayez dans "
                                      "%(n)d minutes.") % {"n": minutes}, **_login_context()}
    return render(request, "jalon/login.html", ctx, status=429)


# -- second factor ----------------------------------------------------------------------------
def is_administrator(user) -> bool:
    return bool(user.is_staff or user.is_superuser or Membership.objects.filter(
        user=user, role=Role.ORG_ADMIN).exists())


def _devices(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True)


@receiver(user_logged_in)
def second_factor_step(sender, request, user, **kwargs):
    """At sign-in: a second factor to check (the account has one) or to set up (required)."""
    if request is None or not hasattr(request, "session"):
        return
    if _devices(user).exists():
        request.session[SESSION_STEP] = "verify"
    elif settings.JALON_ADMIN_OTP_REQUIRED and is_administrator(user):
        request.session[SESSION_STEP] = "setup"


class CodeForm(forms.Form):
    code = forms.CharField(label=_lazy("Code à 6 chiffres de votre application"), max_length=8,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code",
                                                         "inputmode": "numeric"}))


def _next(request) -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(nxt, {request.get_host()}, request.is_secure()):
        return nxt
    return reverse(settings.LOGIN_REDIRECT_URL)


@login_required
@GET_POST
def otp_verify(request):
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"].replace(" ", "")
        if any(d.verify_token(code) for d in _devices(request.user)):
            request.session.pop(SESSION_STEP, None)
            return redirect(_next(request))
        form.add_error("code", _("Code incorrect ou expiré."))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next(request)},
                  status=400 if form.errors else 200)


@login_required
@GET_POST
def otp_setup(request):
    """Add a TOTP device: scan the code (or type the key), then confirm with a first code."""
    if request.session.get(SESSION_STEP) == "verify":
        return redirect("otp_verify")
    device = (TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
              or TOTPDevice.objects.create(user=request.user, name="Jalon", confirmed=False))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].replace(" ", "")):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            request.session.pop(SESSION_STEP, None)
            messages.success(request, _("Second facteur activé."))
            return redirect("account")
        form.add_error("code", _("Code incorrect ou expiré."))
    secret = base64.b32encode(device.bin_key).decode()
    qr = segno.make(device.config_url, error="m").svg_inline(
        scale=4, title=_("Code QR à scanner"))
    return render(request, "accounts/otp_setup.html",
                  {"form": form, "secret": " ".join(secret[i:i + 4]
                                                    for i in range(0, len(secret), 4)),
                   "qr": mark_safe(qr),  # noqa: S308 (segno's own SVG, no user input)
                   "required": request.session.get(SESSION_STEP) == "setup"},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def otp_remove(request):
    if settings.JALON_ADMIN_OTP_REQUIRED and is_administrator(request.user):
        messages.error(request, _("Le second facteur est obligatoire pour les administrateurs."))
    else:
        TOTPDevice.objects.filter(user=request.user).delete()
        messages.success(request, _("Second facteur désactivé."))
    return redirect("account")


# -- the account page and API tokens ------------------------------------------------------------
EXPIRY_CHOICES = [(30, _lazy("30 jours")), (90, _lazy("90 jours")), (365, _lazy("1 an"))]


class TokenForm(forms.Form):
    name = forms.CharField(label=_lazy("Nom du jeton (à quoi il sert)"), max_length=100)
    days = forms.TypedChoiceField(label=_lazy("Valable"), coerce=int, initial=90,
                                  choices=EXPIRY_CHOICES)

    def clean_days(self):
        return min(self.cleaned_data["days"], settings.JALON_TOKEN_MAX_DAYS)


@login_required
@GET_POST
def account(request):
    """The signed-in user's account: second factor and API tokens."""
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        expires = timezone.now() + dt.timedelta(days=form.cleaned_data["days"])
        token, new_token = ApiToken.issue(request.user, form.cleaned_data["name"].strip(),
                                          expires=expires)
        messages.success(request, _("Jeton « %(name)s » créé.") % {"name": token.name})
        form = TokenForm()
    now = timezone.now()
    tokens = list(ApiToken.objects.filter(user=request.user).order_by("-created"))
    for t in tokens:
        t.state = (_("révoqué") if t.revoked else _("expiré") if not t.is_valid(now)
                   else _("actif"))
    return render(request, "accounts/account.html",
                  {"form": form, "tokens": tokens, "new_token": new_token,
                   "has_otp": _devices(request.user).exists(),
                   "otp_required": settings.JALON_ADMIN_OTP_REQUIRED
                   and is_administrator(request.user)},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)  # only one's own
    if token.revoked is None:
        token.revoked = timezone.now()
        token.save(update_fields=["revoked"])
    messages.success(request, _("Jeton « %(name)s » révoqué.") % {"name": token.name})
    return redirect("account")


# -- invitations --------------------------------------------------------------------------------
class SignUpForm(UserCreationForm):
    """A new account for an invitee; its e-mail is the invitation's."""

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "first_name", "last_name")

    def __init__(self, email: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        data = super().clean()
        if get_user_model().objects.filter(email__iexact=self.email).exists():
            raise forms.ValidationError(_("Un compte existe déjà pour cette adresse : "
                                          "connectez-vous pour accepter l'invitation."))
        return data

    def save(self, commit=True):
        user = super().save(commit=False)
        user.email = self.email
        if commit:
            user.save()
        return user


@GET_POST
def invitation(request, token: str):
    """Accept an invitation: signed in, one click; otherwise sign in or create an account."""
    try:
        inv = orgadmin.invitation_from_link(token)
    except orgadmin.AdminError as exc:
        return render(request, "accounts/invitation.html", {"error": str(exc)}, status=404)
    signup = None
    if request.user.is_authenticated:
        if request.method == "POST":
            try:
                m = orgadmin.accept_invitation(token, request.user)
            except orgadmin.AdminError as exc:
                return render(request, "accounts/invitation.html", {"error": str(exc)},
                              status=409)
            messages.success(request, _("Vous avez rejoint %(org)s (%(role)s).")
                             % {"org": m.organization.name, "role": m.get_role_display()})
            return redirect("home")
    else:
        signup = SignUpForm(inv.email, request.POST or None)
        if request.method == "POST" and signup.is_valid():
            user = signup.save()
            login(request, user, backend="jalon.accounts.backends.ModelBackend")
            m = orgadmin.accept_invitation(token, user)
            messages.success(request, _("Compte créé : vous avez rejoint %(org)s (%(role)s).")
                             % {"org": m.organization.name, "role": m.get_role_display()})
            return redirect("home")
    return render(request, "accounts/invitation.html",
                  {"inv": inv, "signup": signup, "token": token},
                  status=400 if signup is not None and signup.errors else 200)
