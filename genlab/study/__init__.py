"""Study: flashcards scheduled by FSRS (the ``fsrs`` library) and the quiz engine. No streamlit here.

Modules, each one idea:

- :mod:`~genlab.study.flashcards`: the learner's ``fsrs.Card`` per flashcard, the review queue,
  the next interval on each rating button, reviews, leeches, cram mode, desired retention.
- :mod:`~genlab.study.stats`: due today, reviewed today, true retention, streak, due forecast.
- :mod:`~genlab.study.scoring`: points (with partial credit) and feedback for every item type.
- :mod:`~genlab.study.selection`: which items a lesson check, objective practice, exam simulation
  or mistakes drill asks, and the per-attempt shuffle of options.
- :mod:`~genlab.study.attempts`: attempts and answers in the store (resumable).
- :mod:`~genlab.study.results`: scores per objective, readiness on the 1000-point scale, CSV export.
- :mod:`~genlab.study.tables`: the tables (Alembic branch ``study``).

Every function that reads or writes takes a SQLAlchemy ``Session`` and a ``now`` in UTC, so tests
can run on fixed datetimes.
"""
