import os
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
import pytest
from django.urls import reverse
from playwright.sync_api import sync_playwright
from axe_playwright_python.sync_playwright import Axe


@pytest.mark.django_db(transaction=True)
def test_browse(live_server, followed):
    w = followed
    from django.contrib.auth.models import User
    w.editor.set_password("pw"); w.editor.save()
    from jalon.plans.models import Person
    p = Person.objects.create(organization=w.org, name="Eddy Editor", user=w.editor)
    w.action.owners.add(p)
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = b.new_page(viewport={"width": 1280, "height": 900})
        msgs = []
        page.on("console", lambda m: msgs.append(m.text))
        page.goto(live_server.url + "/login/")
        page.fill("#id_username", "editor"); page.fill("#id_password", "pw")
        page.click("main button[type=submit]")
        axe = Axe()
        for name, url in [("home", "/"), ("dashboard", reverse("plan_dashboard", args=[w.plan.pk])),
                          ("explorer", reverse("plan_explorer", args=[w.plan.pk]) + "?q=reseau"),
                          ("timeline", reverse("plan_timeline", args=[w.plan.pk])),
                          ("sheet", reverse("node_detail", args=[w.action.pk]))]:
            page.goto(live_server.url + url)
            page.screenshot(path=f"/tmp/shot_{name}.png", full_page=True)
            res = axe.run(page)
            bad = [v for v in res.response["violations"] if v["impact"] in ("serious", "critical", "moderate")]
            print(name, [(v["id"], v["impact"], len(v["nodes"]), v["nodes"][0]["html"][:150]) for v in bad])
        # htmx progress update
        page.goto(live_server.url + reverse("node_detail", args=[w.action.pk]))
        page.select_option("#progress-status", "in_progress")
        page.fill("#progress-progress", "55")
        page.fill("#progress-text", "Devis reçus pour le réseau")
        page.click("#progress-form button[type=submit]")
        page.wait_for_selector("text=Mise à jour enregistrée.")
        print("header:", page.inner_text("#sheet-header"))
        print("journal first:", page.inner_text("#journal li"))
        # inline edit
        page.click("#f-comment a.edit")
        page.wait_for_selector("#inline-comment")
        page.fill("#inline-comment", "Nouveau commentaire")
        page.click("#f-comment button[type=submit]")
        page.wait_for_selector("#f-comment .saved")
        print("comment:", page.inner_text("#f-comment"))
        # conflict
        page.click("#f-funding a.edit")
        page.wait_for_selector("#inline-funding")
        from jalon.plans.services import update_node
        update_node(w.action, {"funding": "Autre source"})
        page.fill("#inline-funding", "Ma source")
        page.click("#f-funding button[type=submit]")
        page.wait_for_selector("#f-funding [role=alert]")
        print("conflict:", page.inner_text("#f-funding"), page.input_value("#inline-funding"))
        page.screenshot(path="/tmp/shot_sheet_after.png", full_page=True)
        print("console:", msgs)
        b.close()
