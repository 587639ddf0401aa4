"""The API does what its OpenAPI document says (schemathesis, all checks, bounded examples).

Every operation of ``/api/v1/openapi.json`` is called with generated requests, as the
organization admin of the ``world`` fixture (a bearer token): no server error, every answer's
status code documented, every body valid against its schema, schema-valid requests accepted
and schema-violating ones refused.  A schema-valid request may still break a rule JSON Schema
cannot state (a period's order, a value outside the plan's years): that is a documented 400.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from jalon.wsgi import application

config = SchemathesisConfig.from_dict({
    "checks": {"positive_data_acceptance": {"expected-statuses": [
        "2xx", "400", "401", "403", "404", "409"]}},
})
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, config=config)


@pytest.fixture
def in_process():
    """Keep the test's database connection across the WSGI calls, as Django's test client
    does (on PostgreSQL the end of each request would close it, inside the test's
    transaction)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(world, in_process):
    from jalon.accounts.models import ApiToken

    world.plan.published = True
    world.plan.save()
    _, raw = ApiToken.issue(world.org_admin, "schemathesis")
    return raw


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_the_api_keeps_its_contract(case, token):
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"})
