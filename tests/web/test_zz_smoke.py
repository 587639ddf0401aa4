from django.urls import reverse
from web_samples import make_plan

def test_smoke(client, followed):
    w = followed
    client.force_login(w.editor)
    for name, args in [("home", []), ("plan_dashboard", [w.plan.pk]), ("plan_explorer", [w.plan.pk]),
                       ("plan_timeline", [w.plan.pk]), ("node_detail", [w.action.pk]), ("node_detail", [w.root.pk])]:
        r = client.get(reverse(name, args=args))
        assert r.status_code == 200, (name, r.content[:2000])
        open(f"/tmp/out_{name}_{args[0] if args else ''}.html", "wb").write(r.content)
    r = client.get(reverse("plan_explorer", args=[w.plan.pk]) + "?q=reseau")
    open("/tmp/out_search.html", "wb").write(r.content)
    client.force_login(w.owner)
    r = client.get(reverse("home"))
    open("/tmp/out_home_owner.html", "wb").write(r.content)
