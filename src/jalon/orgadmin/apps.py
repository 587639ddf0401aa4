from django.apps import AppConfig


class OrgAdminConfig(AppConfig):
    name = "jalon.orgadmin"
    label = "orgadmin"
    verbose_name = "Administration des organisations"
