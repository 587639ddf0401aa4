from django.contrib.auth.management.commands.createsuperuser import Command as Base


class Command(Base):
    help = "Créer un administrateur du site (superutilisateur)."
