"""Case «action_sheets»: labelled action sheets under a numbered tree (a CPAS PST).

All of it is in ``action_sheets.json``: the sheet labels (DÉBUT, FIN, CHEF DE PROJET…, with the
tails of labels split over two lines), the words that open a sheet (TITRE, FICHE ACTION), the
level names and words, the sub-labels of RESSOURCES (ETP, €) and the plan's metadata words.
The engine's sheet reader (:mod:`jalon.ingest.sheets`) does the rest.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..document import Document
from ..draft import PlanDraft
from ..sheets import Vocabulary
from ..sheets import parse as read_sheets
from ..sheets import score as score_sheets

NAME = "action_sheets"
VOCABULARY = Vocabulary(json.loads(Path(__file__).with_suffix(".json").read_text("utf-8")))
LEVELS = VOCABULARY.levels


def score(doc: Document) -> float:
    return score_sheets(doc, VOCABULARY)


def parse(doc: Document) -> PlanDraft:
    return read_sheets(doc, VOCABULARY)
