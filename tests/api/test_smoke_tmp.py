from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.api.conftest import build_plan

def test_counts(world, api_as):
    a = api_as(world.editor)
    from jalon.accounts.models import ApiToken
    tok, raw = ApiToken.issue(world.editor, "t")
    for size in (10, 1000):
        plan = build_plan(world.org, size, title=f"p{size}")
        for path in [f"/plans/{plan.pk}/nodes", f"/plans/{plan.pk}/tree", f"/plans/{plan.pk}/export", "/plans", f"/nodes/{plan.nodes.first().pk}"]:
            with CaptureQueriesContext(connection) as c:
                r = a.get(path)
            print(size, path, r.status_code, len(c.captured_queries))
            if size == 10 and "nodes" in path: 
                for q in c.captured_queries: print("   ", q["sql"][:150])
        with CaptureQueriesContext(connection) as c:
            r = a.client.get(f"/api/v1/plans/{plan.pk}/nodes", headers={"Authorization": f"Bearer {raw}"})
        print("token", r.status_code, len(c.captured_queries))
    assert 0
