"""Who may see, write, submit and validate evaluations (django-rules, autodiscovered).

Members of the plan's organization see every evaluation and produce reports (the public sees
the latest *published* one on the public page, without the hidden fields).  Plan writers
prepare and submit; the roles the organization chose (``OrgSettings.validator_roles``, org
admins by default) validate, and someone other than the submitter must do it; publishing is a
separate act for ``OrgSettings.publisher_roles`` (org admins by default).
"""

from __future__ import annotations

import rules

from jalon.orgadmin.models import evaluation_roles
from jalon.plans.rules import is_member, is_org_admin, is_plan_writer, is_site_admin, roles_in


def _org_id(evaluation) -> int:
    return evaluation.plan.organization_id


def roles_that_may(evaluation, act: str) -> set[str]:
    """The roles of the evaluation's organization that may ``act`` ("validate", "publish"),
    read once per evaluation object."""
    cache = getattr(evaluation, "_jalon_evaluation_roles", None)
    if cache is None:
        cache = evaluation_roles(_org_id(evaluation))
        evaluation._jalon_evaluation_roles = cache
    return cache[act]


def has_role_to(user, evaluation, act: str) -> bool:
    """``user`` is a site admin or holds one of the roles that may ``act`` on it."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return bool(roles_in(user, _org_id(evaluation)) & roles_that_may(evaluation, act))


@rules.predicate
def has_validator_role(user, evaluation) -> bool:
    return has_role_to(user, evaluation, "validate")


@rules.predicate
def has_publisher_role(user, evaluation) -> bool:
    return has_role_to(user, evaluation, "publish")


@rules.predicate
def is_not_submitter(user, evaluation) -> bool:
    submitter = getattr(evaluation, "submitted_by_id", None)
    return submitter is None or submitter != getattr(user, "pk", None)


@rules.predicate
def is_on_public_page(user, evaluation) -> bool:
    return getattr(evaluation, "public_since", None) is not None


@rules.predicate
def is_validated(user, evaluation) -> bool:
    return getattr(evaluation, "status", None) == "validated"


@rules.predicate
def is_open(user, evaluation) -> bool:
    return getattr(evaluation, "status", None) in {"draft", "submitted"}


rules.add_perm("reports.view_evaluation", is_site_admin | is_member)
rules.add_perm("reports.view_report", is_site_admin | is_member)
rules.add_perm("reports.add_evaluation", is_site_admin | is_plan_writer)
rules.add_perm("reports.change_evaluation", (is_site_admin | is_plan_writer) & is_open)
rules.add_perm("reports.submit_evaluation", (is_site_admin | is_plan_writer) & is_open)
rules.add_perm("reports.validate_evaluation", has_validator_role & is_open & is_not_submitter)
rules.add_perm("reports.publish_evaluation",
               has_publisher_role & is_validated & ~is_on_public_page)
rules.add_perm("reports.withdraw_evaluation", has_publisher_role & is_on_public_page)
rules.add_perm("reports.delete_evaluation", (is_site_admin | is_plan_writer) & is_open)
rules.add_perm("reports.correct_evaluation",
               (is_site_admin | is_plan_writer) & is_validated)
rules.add_perm("reports.change_reportsettings", is_site_admin | is_org_admin)

# Site admins get every permission without the predicates being asked (Django's ModelBackend),
# so the state half of a rule is checked again here: views ask ``may``, not ``has_perm``.
_STATE = {"change": is_open, "submit": is_open, "validate": is_open & is_not_submitter,
          "delete": is_open, "correct": is_validated,
          "publish": is_validated & ~is_on_public_page, "withdraw": is_on_public_page}


def may(user, action: str, evaluation) -> bool:
    """``user`` may do ``action`` to ``evaluation`` now (role *and* the evaluation's state)."""
    state = _STATE.get(action)
    if state is not None and not state.test(user, evaluation):
        return False
    return user.has_perm(f"reports.{action}_evaluation", evaluation)
