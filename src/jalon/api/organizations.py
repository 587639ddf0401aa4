"""Organizations: the user's own (a site admin sees them all), with their departments and people.

Members only: anonymous callers get a 401, organizations the user does not belong to a 404.
"""

from ninja import Router

from jalon.plans.access import organization_for, organizations_for
from jalon.plans.models import Department, Person

from .lists import organization_listing
from .pagination import prepared_page
from .schemas import DepartmentOut, ErrorOut, OrganizationOut, PersonOut

router = Router(tags=["organisations"])


@router.get("/organizations", response=list[OrganizationOut])
@prepared_page(page_size=100, max_page_size=500)
def organization_list(request):
    """The caller's organizations by name, a page at a time (``page_size`` up to 500)."""
    return organization_listing(organizations_for(request.auth).order_by("name", "id"))


@router.get("/organizations/{org_id}", response={200: OrganizationOut, 404: ErrorOut})
def organization_detail(request, org_id: int):
    return organization_for(request.auth, org_id)


@router.get("/organizations/{org_id}/departments",
            response={200: list[DepartmentOut], 404: ErrorOut})
def department_list(request, org_id: int):
    org = organization_for(request.auth, org_id)
    return Department.objects.filter(organization=org)


@router.get("/organizations/{org_id}/people", response={200: list[PersonOut], 404: ErrorOut})
def person_list(request, org_id: int):
    """People of the organization (ids for ``owner_ids`` / ``mandataire_ids``)."""
    org = organization_for(request.auth, org_id)
    return Person.objects.filter(organization=org)
