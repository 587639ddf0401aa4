"""The plan register: organizations, their people and departments, plans and their node trees.

Every model here keeps an audit trail (django-simple-history, field-level before/after).  Data is
scoped to a user through the ``for_user`` querysets; the object rules live in ``plans.rules``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from jalon.accounts.models import MEMBERSHIPS, Membership, Role

# bounds on what one person can write (model, forms, API schemas and importer share them)
TITLE_MAX = 1_000  # a node's title
TEXT_MAX = 20_000  # description, comment
ITEM_MAX = 1_000  # one partner, risk, deliverable, tag…
ITEMS_MAX = 200  # entries in such a list


class Organization(models.Model):
    class Kind(models.TextChoices):
        CPAS = "cpas", _("CPAS")
        COMMUNE = "commune", _("Commune")
        FEDERAL = "federal", _("Institution fédérale")
        OTHER = "other", _("Autre")

    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("identifiant"), max_length=80, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind, default=Kind.CPAS)
    languages = models.JSONField(_("langues"), default=list, blank=True)  # ["fr", "nl"]
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE,
                                     related_name="departments")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="children")
    name = models.CharField(_("nom"), max_length=200)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("département")
        verbose_name_plural = _("départements")
        constraints = [models.UniqueConstraint(fields=["organization", "name"],
                                               name="department_unique_name")]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE,
                                     related_name="people")
    name = models.CharField(_("nom"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    department = models.ForeignKey(Department, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="people")
    function = models.CharField(_("fonction"), max_length=200, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="persons")
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("personne")
        verbose_name_plural = _("personnes")
        constraints = [models.UniqueConstraint(fields=["organization", "name"],
                                               name="person_unique_name")]

    def __str__(self) -> str:
        return self.name


class PlanQuerySet(models.QuerySet):
    def for_user(self, user, action: str = "view") -> PlanQuerySet:
        """Plans this user may ``view`` or ``change``: the one way to scope plans."""
        if user.is_authenticated and user.is_superuser:
            return self.all()
        published = Q(published=True) if action == "view" else Q(pk__in=[])
        if not user.is_authenticated:
            return self.filter(published)
        roles = Role.values if action == "view" else Role.PLAN_WRITERS
        known = getattr(user, MEMBERSHIPS, None)  # read with the user (accounts.backends)
        if known is not None:  # the ids themselves: no subquery to build and run
            orgs = sorted({m.organization_id for m in known if m.role in roles})
        else:
            orgs = Membership.objects.filter(user=user, role__in=roles).values("organization_id")
        return self.filter(published | Q(organization__in=orgs))


class Plan(models.Model):
    class Kind(models.TextChoices):
        PST = "pst", _("Programme stratégique transversal")
        STRATEGIC = "strategic", _("Plan stratégique")
        CONTRACT = "contract", _("Contrat d'administration")
        POLICY_NOTE = "policy_note", _("Note de politique générale")
        SECTOR = "sector", _("Plan sectoriel")
        OTHER = "other", _("Autre")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        ADOPTED = "adopted", _("Adopté")
        EVALUATION = "evaluation", _("En évaluation")
        CLOSED = "closed", _("Clôturé")

    class Rollup(models.TextChoices):
        MEAN = "mean", _("Moyenne simple")
        WEIGHTED = "weighted", _("Moyenne pondérée")
        MANUAL = "manual", _("Manuel (justifié)")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE,
                                     related_name="plans")
    title = models.CharField(_("titre"), max_length=300)
    kind = models.CharField(_("type"), max_length=20, choices=Kind, default=Kind.PST)
    period_start = models.PositiveSmallIntegerField(_("début de période"), null=True, blank=True)
    period_end = models.PositiveSmallIntegerField(_("fin de période"), null=True, blank=True)
    status = models.CharField(_("statut"), max_length=20, choices=Status, default=Status.DRAFT)
    adopted_by = models.CharField(_("organe d'adoption"), max_length=200, blank=True)
    adopted_on = models.DateField(_("date d'adoption"), null=True, blank=True)
    source_document = models.CharField(_("document source"), max_length=300, blank=True)
    levels = models.JSONField(_("noms des niveaux"), default=list, blank=True)
    language = models.CharField(_("langue"), max_length=5, default="fr")
    layout = models.CharField(_("mise en page reconnue"), max_length=40, blank=True)
    rollup_rule = models.CharField(_("règle d'agrégation"), max_length=10, choices=Rollup,
                                   default=Rollup.MEAN)
    published = models.BooleanField(_("publié"), default=False)
    hidden_fields = models.JSONField(_("champs masqués au public"), default=list, blank=True)
    extra = models.JSONField(default=dict, blank=True)
    # bumped by every write to the plan or its follow-up (plans.changes.touch_plan): public
    # pages and open data answer conditional requests and cache their output per revision
    revision = models.PositiveIntegerField(default=0, editable=False)
    last_modified = models.DateTimeField(null=True, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["revision", "last_modified"])

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["organization__name", "-period_start", "title"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def __str__(self) -> str:
        return self.title

    def level_name(self, depth: int) -> str:
        return self.levels[depth] if depth < len(self.levels) else _("Niveau %d") % (depth + 1)


class Amendment(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="amendments")
    version = models.CharField(_("version"), max_length=40)
    date = models.DateField(_("date"))
    decision = models.CharField(_("référence de la décision"), max_length=300, blank=True)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "version"]
        verbose_name = _("amendement")


class NodeQuerySet(models.QuerySet):
    def for_user(self, user, action: str = "view") -> NodeQuerySet:
        """Nodes this user may view or change (plan writers, department editors, owners)."""
        if action == "view":
            return self.filter(plan__in=Plan.objects.for_user(user, "view"))
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        writable_plans = Plan.objects.for_user(user, "change")
        dept_ids = Membership.objects.filter(
            user=user, role=Role.DEPT_EDITOR).values("departments")
        member_orgs = Membership.objects.filter(user=user).values("organization_id")
        return self.filter(
            Q(plan__in=writable_plans)
            | Q(plan__organization__in=member_orgs, departments__in=dept_ids)
            | Q(plan__organization__in=member_orgs, owners__user=user)
        ).distinct()

    def with_tree_data(self) -> NodeQuerySet:
        """What a tree page needs, in a fixed number of queries whatever the plan's size."""
        return self.prefetch_related("owners", "departments", "mandataires").order_by(
            "depth", "position", "id")


class Node(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Pas commencé")
        IN_PROGRESS = "in_progress", _("En cours")
        DONE = "done", _("Terminé")
        LATE = "late", _("En retard")
        STOPPED = "stopped", _("Arrêté")
        LAPSED = "lapsed", _("Caduc")

    class DateKind(models.TextChoices):
        NONE = "", _("—")
        DAY = "day", _("jour")
        MONTH = "month", _("mois")
        QUARTER = "quarter", _("trimestre")
        SEMESTER = "semester", _("semestre")
        YEAR = "year", _("année")
        RANGE = "range", _("période")
        OPEN = "open", _("continu")
        RELATIVE = "relative", _("relatif")
        DONE = "done", _("réalisé")
        INVALID = "invalid", _("illisible")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="nodes")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="children")
    position = models.PositiveIntegerField(default=0)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    code = models.CharField(_("code"), max_length=80)
    code_as_printed = models.CharField(_("code imprimé"), max_length=80, blank=True)
    derived_code = models.BooleanField(_("code dérivé"), default=False)
    title = models.TextField(_("titre"), max_length=TITLE_MAX)
    description = models.TextField(_("description"), blank=True, max_length=TEXT_MAX)
    level = models.CharField(_("niveau"), max_length=80, blank=True)
    owners = models.ManyToManyField(Person, blank=True, related_name="owned_nodes",
                                    verbose_name=_("responsables"))
    team = models.ManyToManyField(Person, blank=True, related_name="team_nodes",
                                  verbose_name=_("équipe"))
    mandataires = models.ManyToManyField(Person, blank=True, related_name="political_nodes",
                                         verbose_name=_("mandataires"))
    departments = models.ManyToManyField(Department, blank=True, related_name="nodes",
                                         verbose_name=_("départements"))
    partners = models.JSONField(_("partenaires"), default=list, blank=True)
    steering = models.JSONField(_("groupe de pilotage"), default=list, blank=True)
    start_text = models.CharField(_("début (tel qu'imprimé)"), max_length=120, blank=True)
    start_date = models.DateField(_("début"), null=True, blank=True)
    end_text = models.CharField(_("fin (telle qu'imprimée)"), max_length=120, blank=True)
    end_date = models.DateField(_("fin"), null=True, blank=True)
    deadline_text = models.CharField(_("échéance (telle qu'imprimée)"), max_length=120,
                                     blank=True)
    date_kind = models.CharField(_("précision des dates"), max_length=10, choices=DateKind,
                                 blank=True, default="")
    open_ended = models.BooleanField(_("continu"), default=False)
    status = models.CharField(_("statut"), max_length=20, choices=Status,
                              default=Status.NOT_STARTED)
    priority = models.PositiveSmallIntegerField(_("priorité"), null=True, blank=True)
    tags = models.JSONField(_("étiquettes"), default=list, blank=True)
    sdgs = models.JSONField(_("ODD"), default=list, blank=True)  # UN SDG numbers 1–17
    volet = models.CharField(_("volet"), max_length=10, blank=True,
                             choices=[("", "—"), ("interne", _("interne")),
                                      ("externe", _("externe"))])
    fte = models.DecimalField(_("ETP"), max_digits=7, decimal_places=2, null=True, blank=True)
    funding = models.CharField(_("financement"), max_length=300, blank=True)
    risks = models.JSONField(_("risques"), default=list, blank=True)
    deliverables = models.JSONField(_("livrables"), default=list, blank=True)
    comment = models.TextField(_("commentaire"), blank=True, max_length=TEXT_MAX)
    progress = models.DecimalField(_("avancement (%)"), max_digits=5, decimal_places=2,
                                   null=True, blank=True)
    weight = models.DecimalField(_("poids"), max_digits=7, decimal_places=3, null=True,
                                 blank=True)
    source_line = models.PositiveIntegerField(_("ligne source"), null=True, blank=True)
    extra = models.JSONField(default=dict, blank=True)  # other printed fields, provenance
    version = models.PositiveIntegerField(default=1)  # optimistic locking
    history = HistoricalRecords(m2m_fields=[owners, team, mandataires, departments])

    objects = NodeQuerySet.as_manager()

    class Meta:
        ordering = ["plan_id", "depth", "position", "id"]  # plan_id: no join
        verbose_name = _("élément")
        verbose_name_plural = _("éléments")
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="node_unique_code")]
        indexes = [
            # children of a node in order: tree building and sibling reordering
            models.Index(fields=["plan", "parent", "position"], name="node_siblings"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title[:60]}"


class MoneyLine(models.Model):
    """Resources as the plan states them (amount, year, budget type, funding source)."""

    node = models.ForeignKey(Node, on_delete=models.CASCADE, related_name="money_lines")
    amount = models.DecimalField(_("montant (€)"), max_digits=14, decimal_places=2)
    year = models.PositiveSmallIntegerField(_("année"), null=True, blank=True)
    budget_type = models.CharField(_("type de budget"), max_length=40, blank=True)
    funding_source = models.CharField(_("source de financement"), max_length=200, blank=True)
    label = models.CharField(_("libellé"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["node_id", "position", "id"]
        verbose_name = _("ligne budgétaire prévue")


class NodeLink(models.Model):
    class Kind(models.TextChoices):
        CONTRIBUTES = "contributes", _("contribue à")
        DEPENDS = "depends", _("dépend de")
        SHARED = "shared", _("partagé avec")

    source = models.ForeignKey(Node, on_delete=models.CASCADE, related_name="links_out")
    target = models.ForeignKey(Node, on_delete=models.CASCADE, related_name="links_in")
    kind = models.CharField(_("type"), max_length=20, choices=Kind)
    weight = models.DecimalField(_("poids"), max_digits=7, decimal_places=3, null=True,
                                 blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lien")
        constraints = [
            models.UniqueConstraint(fields=["source", "target", "kind"], name="link_unique"),
            models.CheckConstraint(condition=~Q(source=models.F("target")),
                                   name="link_not_self"),
        ]
