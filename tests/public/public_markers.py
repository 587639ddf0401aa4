"""What the public tests look for."""

from decimal import Decimal

# one distinctive word per hideable field: none may appear when the field is hidden
MARKERS = {
    "owners": "Owenna-Proprietaire", "team": "Tessa-Equipiere", "mandataires": "Marc-Echevin",
    "departments": "Departement-Zeta", "partners": "Partenaire-Omega",
    "steering": "Pilote-Sigma", "risks": "Risque-Inondation", "deliverables": "Livrable-Kappa",
    "description": "Description-Lambda", "comment": "Commentaire-Secret",
    "funding": "Financement-FEDER-Xi", "start_text": "Debut-Printemps-2021",
    "end_text": "Fin-Automne-2023", "indicators": "Indicateur-Rho",
    "assessments": "Appreciation-Tau",
}
MONEY_PLANNED = Decimal("987654.32")  # the budget: 987.654,32 € / 987654.32
