"""Paper and online ways in for each partner's own answers: Excel forms and survey exports.

- :mod:`.excel_form` writes a respondent form (``.xlsx``) for a product's questionnaire and a round;
- :mod:`.reading` reads filled forms back, cell by cell;
- :mod:`.survey` reads an online survey's export (Microsoft Forms' layout) and writes the list of
  questions to build that survey from;
- :mod:`.importing` checks every file first and saves the answers only when none has a problem.

This layer sits above core and render and below the command line: it is handed a product's
:class:`~jointwork.core.questionnaire.Questionnaire` (as a :class:`FormProduct`) and never imports
the products.
"""

from __future__ import annotations

from .problems import ImportRefused, Problem
from .spec import FORM_FORMAT, FormProduct, FormSpec

__all__ = ["FORM_FORMAT", "FormProduct", "FormSpec", "ImportRefused", "Problem"]
