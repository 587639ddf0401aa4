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
