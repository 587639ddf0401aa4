"""The ``jalon`` command: serve, demo, import, export, createadmin (and any manage.py command)."""

from __future__ import annotations

import os
import sys

COMMANDS = {
    "serve": ("jalon_serve", "Servir Jalon (http://127.0.0.1:8000 par défaut ; gunicorn si "
              "JALON_DEBUG=0)"),
    "migrate": ("jalon_migrate", "Appliquer les migrations (rôle propriétaire) et les droits"),
    "worker": ("jalon_worker", "Exécuter les tâches de fond (documents, imports, récapitulatifs)"),
    "demo": ("jalon_demo", "Créer/mettre à jour la base de démonstration et servir"),
    "import": ("jalon_import", "Importer un plan (txt, pdf, docx, xlsx, ods, csv, json)"),
    "export": ("jalon_export", "Exporter un plan (json, xlsx, docx, csv)"),
    "report": ("jalon_report", "Produire un document pour le conseil (pdf, docx, xlsx, ods)"),
    "createadmin": ("jalon_createadmin", "Créer un administrateur du site"),
}

USAGE = """usage: jalon COMMAND [options]

Commandes :
{commands}
  manage ...      toute commande Django (migrate, check, shell, …)

« jalon COMMAND --help » détaille une commande.
"""


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jalon.settings")
    if not argv or argv[0] in {"-h", "--help", "help"}:
        lines = "\n".join(f"  {name:<15} {help_}" for name, (_, help_) in COMMANDS.items())
        print(USAGE.format(commands=lines))
        return 0
    from django.core.management import execute_from_command_line

    name, rest = argv[0], argv[1:]
    if name == "manage":
        execute_from_command_line(["jalon", *rest])
        return 0
    if name not in COMMANDS:
        print(f"jalon: commande inconnue « {name} » (voir jalon --help)", file=sys.stderr)
        return 2
    execute_from_command_line(["jalon", COMMANDS[name][0], *rest])
    return 0


if __name__ == "__main__":
    sys.exit(main())
