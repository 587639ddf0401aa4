"""Home: my actions (overdue, due soon, without recent update) and my reminders."""

from django.urls import reverse
from web_samples import days, query_counts

from jalon.plans.models import Node, Person
from jalon.tracking.models import ProgressUpdate


def home(client) -> str:
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def section(page: str, heading_id: str) -> str:
    start = page.index(f'id="{heading_id}"')
    ends = [i for i in (page.find("<h3", start + 1), page.find("</section>", start)) if i > 0]
    return page[start:min(ends)]


def test_an_owner_sees_an_overdue_action(client, followed):
    client.force_login(followed.owner)
    page = home(client)
    overdue = section(page, "h-overdue")
    assert "Former le personnel" in overdue and days(-20).strftime("%d/%m/%Y") in overdue


def test_due_soon_and_stale_actions_are_listed(client, followed):
    w = followed
    me = Person.objects.get(user=w.owner)
    soon = Node.objects.create(plan=w.plan, parent=w.root, depth=1, position=3, code="1.3",
                               title="Ouvrir la permanence", end_date=days(5))
    soon.owners.add(me)
    ProgressUpdate.objects.create(node=soon, date=days(-1), text="Local trouvé")
    client.force_login(w.owner)
    page = home(client)
    assert "Ouvrir la permanence" in section(page, "h-due-soon")
    stale = section(page, "h-stale")
    assert "Former le personnel" in stale  # its last update is 100 days old
    assert "Ouvrir la permanence" not in stale


def test_closed_actions_are_not_listed(client, followed):
    Node.objects.filter(pk=followed.hr_action.pk).update(status="done")
    client.force_login(followed.owner)
    page = home(client)
    assert "Vous n'êtes responsable d'aucune action en cours." in page


def test_reminders_are_listed(client, followed):
    client.force_login(followed.owner)
    reminders = home(client).split('id="my-reminders"')[1].split("</section>")[0]
    assert "Former le personnel" in reminders and "en retard depuis le" in reminders
    assert "pas de mise à jour depuis 60 jours" in reminders


def test_someone_who_owns_nothing_has_no_actions_and_no_reminders(client, followed):
    client.force_login(followed.reader)
    page = home(client)
    assert "Vous n'êtes responsable d'aucune action en cours." in page
    assert "Aucun rappel." in page
    assert "PST Amay" in page  # the plans are still listed


def test_anonymous_visitors_see_only_published_plans(client, followed):
    followed.other_plan.published = True
    followed.other_plan.save()
    page = home(client)
    assert "Mes actions" not in page and "PST Bree" in page and "PST Amay" not in page


def test_each_plan_links_to_its_views(client, followed):
    client.force_login(followed.reader)
    page = home(client)
    for name in ("plan_dashboard", "plan_explorer", "plan_timeline"):
        assert reverse(name, args=[followed.plan.pk]) in page


def test_it_takes_the_same_queries_for_50_and_2000_owned_nodes(client, db):
    # session + user + plans + my actions + reminders (actions, indicators)
    counts = query_counts(client, lambda plan, user: reverse("home"))
    assert counts[0] == counts[1], counts


def test_home_links_to_import_and_administration_only_for_those_allowed(client, world):
    from django.urls import reverse

    client.force_login(world.org_admin)
    page = client.get(reverse("home")).content.decode()
    assert reverse("plan_import", args=["amay"]) in page
    assert reverse("orgadmin_index", args=["amay"]) in page
    client.force_login(world.reader)
    page = client.get(reverse("home")).content.decode()
    assert reverse("plan_import", args=["amay"]) not in page
    assert reverse("orgadmin_index", args=["amay"]) not in page
