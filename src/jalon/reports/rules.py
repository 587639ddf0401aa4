"""Who may see, write, submit and validate evaluations (django-rules, autodiscovered).

Members of the plan's organization see every evaluation and produce reports (the public sees
the latest validated one on the public page, without the hidden fields).  Plan writers prepare
and submit; organization admins validate.
"""

from __future__ import annotations

import rules

from jalon.plans.rules import is_member, is_org_admin, is_plan_writer, is_site_admin


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
rules.add_perm("reports.validate_evaluation", (is_site_admin | is_org_admin) & is_open)
rules.add_perm("reports.delete_evaluation", (is_site_admin | is_plan_writer) & is_open)
rules.add_perm("reports.correct_evaluation",
               (is_site_admin | is_plan_writer) & is_validated)
rules.add_perm("reports.change_reportsettings", is_site_admin | is_org_admin)

# Site admins get every permission without the predicates being asked (Django's ModelBackend),
# so the state half of a rule is checked again here: views ask ``may``, not ``has_perm``.
_STATE = {"change": is_open, "submit": is_open, "validate": is_open, "delete": is_open,
          "correct": is_validated}


def may(user, action: str, evaluation) -> bool:
    """``user`` may do ``action`` to ``evaluation`` now (role *and* the evaluation's state)."""
    state = _STATE.get(action)
    if state is not None and not state.test(user, evaluation):
        return False
    return user.has_perm(f"reports.{action}_evaluation", evaluation)
