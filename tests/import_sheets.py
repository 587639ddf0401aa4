"""A fictitious body's spreadsheet for the import's mapping step (web, CLI and browser tests)."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl

HEADER = ["N°", "Objectif / Action", "Service responsable", "Pilote", "Date de fin",
          "Budget (€)", "Indicateur", "Cible", "Couleur"]


def workbook(header=HEADER, actions=2, title="Plan de la Maison des aînés de Hamoir") -> bytes:
    """A fictitious body's spreadsheet: one objective, ``actions`` actions, one unknown column."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Plan"
    ws.append([title])
    ws.append(header)
    ws.append(["1", "Accueillir les aînés", "Accueil", "", None, None, "", "", "bleu"])
    for i in range(1, actions + 1):
        ws.append([f"1.{i}", f"Action numéro {i}", "Accueil", f"Agent {i}",
                   dt.date(2026, 1 + i % 12, 28), 1000 * i, f"Indicateur {i}", i, f"teinte {i}"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def climate_csv(*, orphan: bool = False) -> bytes:
    """A small semicolon CSV plan (title rows, a header, three levels); ``orphan`` makes the
    last action name a parent the file does not have."""
    last = "2.1;9;Action;Action orpheline;;" if orphan else "2.1;2;Action;Informer;;"
    return ("Titre du plan;Plan climat\n"
            "Organisation;CPAS de Amay\n"
            ";\n"
            "code;parent;niveau;titre;responsables;échéance\n"
            "1;;Objectif;Réduire les émissions;;\n"
            "1.1;1;Action;Isoler les bâtiments;Owen Owner;2025\n"
            "1.1.1;1.1;Tâche;Auditer les toitures;;\n"
            "1.2;1;Action;Chauffer mieux;;2026\n"
            "2;;Objectif;Sensibiliser;;\n"
            f"{last}\n").encode()
