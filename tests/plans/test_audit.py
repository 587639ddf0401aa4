"""Every create, update and delete leaves an audit record with user, time and field diffs."""

from jalon.plans.models import Department, MoneyLine, Node, NodeLink, Organization, Person, Plan
from jalon.plans.services import delete_node, move_node, update_node
from jalon.tracking.models import Indicator


def test_an_update_records_who_and_the_field_before_and_after(world):
    node = world.action
    update_node(node, {"title": "Nouveau titre", "comment": "vu"}, by=world.editor)
    last, previous = node.history.order_by("-history_id")[:2]
    assert last.history_type == "~" and last.history_user == world.editor
    delta = last.diff_against(previous)
    changed = {c.field: (c.old, c.new) for c in delta.changes}
    assert changed["title"] == ("Rénover l'accueil", "Nouveau titre")
    assert changed["comment"] == ("", "vu")


def test_a_move_records_the_new_parent(world):
    move_node(world.hr_action, None)
    rec = world.hr_action.history.order_by("-history_id").first()
    assert rec.history_type == "~" and rec.parent_id is None


def test_a_delete_records_every_removed_node(world):
    ids = [world.root.pk, world.action.pk, world.hr_action.pk]
    delete_node(world.root)
    deleted = Node.history.filter(history_type="-").values_list("id", flat=True)
    assert set(ids) <= set(deleted)


def test_people_changes_on_a_node_are_recorded(world):
    p = Person.objects.create(organization=world.org, name="Ana")
    before = world.action.history.count()
    world.action.owners.add(p)
    assert world.action.history.count() > before
    assert list(world.action.history.first().owners.values_list("person_id", flat=True)) == [p.pk]


def test_each_kind_of_object_is_audited_on_create_update_delete(world):
    org = Organization.objects.create(name="X", slug="x")
    dept = Department.objects.create(organization=org, name="D")
    plan = Plan.objects.create(organization=org, title="P")
    node = Node.objects.create(plan=plan, code="1", title="N")
    other = Node.objects.create(plan=plan, code="2", title="M")
    objs = [org, dept, Person.objects.create(organization=org, name="Q"), plan, node,
            MoneyLine.objects.create(node=node, amount=10),
            NodeLink.objects.create(source=node, target=other, kind="depends"),
            Indicator.objects.create(node=node, name="I")]
    for obj in objs:
        model = type(obj)
        pk = obj.pk
        field = "name" if hasattr(obj, "name") else ("title" if hasattr(obj, "title") else None)
        if field:
            setattr(obj, field, "changed")
        obj.save()
        kinds = list(model.history.filter(id=pk).order_by("history_id")
                     .values_list("history_type", flat=True))
        assert kinds[:2] == ["+", "~"], model.__name__
    for obj in reversed(objs):
        model, pk = type(obj), obj.pk
        if model.objects.filter(pk=pk).exists():
            obj.delete()
        assert model.history.filter(id=pk, history_type="-").exists(), model.__name__


def test_the_public_attribution_helper_names_the_user_and_ignores_anonymous(world):
    from django.contrib.auth.models import AnonymousUser

    from jalon.plans.audit import attributed

    node = Node.objects.get(pk=world.action.pk)
    attributed(node, world.editor).comment = "par l'éditeur"
    node.save()
    assert node.history.order_by("-history_id").first().history_user == world.editor
    other = attributed(Node.objects.get(pk=world.hr_action.pk), AnonymousUser())
    other.comment = "sans session"
    other.save()
    assert other.history.order_by("-history_id").first().history_user is None


def test_no_module_reaches_for_a_private_attribution_helper():
    from pathlib import Path

    import jalon

    root = Path(jalon.__file__).parent
    offenders = [str(p.relative_to(root)) for p in root.rglob("*.py")
                 if "import _as" in p.read_text(encoding="utf-8")
                 or ("_history_user" in p.read_text(encoding="utf-8")
                     and p.name != "audit.py")]
    assert offenders == []
