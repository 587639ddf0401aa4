"""The minimal pages render what they promise."""

from django.urls import reverse

from jalon.plans.services import update_node


def test_home_lists_the_plans_a_reader_may_see(client, world):
    client.force_login(world.reader)
    page = client.get(reverse("home")).content.decode()
    assert "PST Amay" in page and "PST Bree" not in page


def test_plan_page_shows_the_tree(client, world):
    client.force_login(world.reader)
    page = client.get(reverse("plan_detail", args=[world.plan.pk])).content.decode()
    assert page.index("Servir la population") < page.index("Rénover l") < page.index("Former")


def test_node_sheet_shows_fields_and_history(client, world):
    update_node(world.action, {"title": "Rénover l'accueil du public"})
    client.force_login(world.reader)
    page = client.get(reverse("node_detail", args=[world.action.pk])).content.decode()
    assert "Service social" in page
    assert "Historique des modifications" in page
    assert "Rénover l&#x27;accueil du public" in page


def test_a_concurrent_edit_is_refused_and_loses_nothing(client, world):
    client.force_login(world.editor)
    node = world.action
    stale_version = node.version
    update_node(node, {"title": "Changed by someone else"})
    response = client.post(reverse("node_edit", args=[node.pk]),
                           {"title": "Mine", "status": node.status, "version": stale_version})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Mine" in page  # the user's input is still in the form
    assert "Changed by someone else" in page  # and the other person's value is shown
    node.refresh_from_db()
    assert node.title == "Changed by someone else"


def test_pages_escape_hostile_titles(client, world):
    world.action.title = "<script>alert(1)</script>"
    world.action.save()
    client.force_login(world.reader)
    page = client.get(reverse("plan_detail", args=[world.plan.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page
    response = client.get(reverse("plan_detail", args=[world.plan.pk]))
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_the_tree_texts_prepared_in_python_are_those_the_template_filters_gave(world):
    """`web.loading.tree_display` replaced per-cell filters: same text, character for
    character (long titles, decimal progress, several owners and departments, levels)."""
    from decimal import Decimal

    from django.template import Context, Template

    from jalon.plans.models import Department, Person
    from jalon.plans.services import plan_tree
    from jalon.web.loading import plan_nodes, tree_display, tree_rows

    a = world.action
    a.title, a.progress, a.level = "Rénover « l'accueil » & " + "x" * 200, Decimal("40.5"), "Action"
    a.save()
    a.owners.add(Person.objects.create(organization=world.org, name="Zoé <Z>"),
                 Person.objects.create(organization=world.org, name="Ali"))
    a.departments.add(Department.objects.create(organization=world.org, name="Cellule RH & co"))
    rows, _ = tree_rows(plan_tree(world.plan, plan_nodes(world.plan, journal=False)))
    tree_display(rows)
    old = Template(
        "{% url 'node_detail' n.pk %}|{{ n.title|truncatechars:140 }}|{% if n.level %}"
        "{{ n.level }} · {% endif %}{{ n.get_status_display }}{% if n.progress is not None %}"
        " · {{ n.progress|floatformat:\"0\" }} %{% endif %}{% for p in n.owner_list %}"
        "{% if forloop.first %} · {% endif %}{{ p.name }}{% if not forloop.last %}, {% endif %}"
        "{% endfor %}{% for d in n.department_list %}{% if forloop.first %} · {% endif %}"
        "{{ d.name }}{% if not forloop.last %}, {% endif %}{% endfor %}")
    new = Template("{{ n.url }}|{{ n.short_title }}|{{ n.meta }}")
    assert len(rows) >= 3
    for n in rows:
        assert new.render(Context({"n": n})) == old.render(Context({"n": n}))
