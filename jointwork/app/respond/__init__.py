"""The respondent service: partners answer a product's questionnaire from their own phones.

``jointwork app --share`` starts it beside the app, on the laptop's network address and a port of
its own (:func:`jointwork.app.respond.service.start_service`). It serves only the respondent pages
(plain HTML forms, no JavaScript, one question group per screen) for the rounds a facilitator has
opened to the room from the app's room page (:mod:`jointwork.app.respond.room`), each behind a
random workshop code (:mod:`jointwork.app.respond.codes`). Every answer is saved as that
respondent's own response in the response store (:mod:`jointwork.core.responses`), so the
facilitator's pages, reports and presenter view see it like any other.

Nothing of Jupyter or Voila is reachable through it: its routes are listed in
:func:`jointwork.app.respond.service.respondent_app` and everything else is a plain 404.
"""
