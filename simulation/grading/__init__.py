"""Graded assignments: self-checks for students, and the grader for instructors.

Students call :func:`check` in an assignment notebook. Instructors use the command line
(``assignments release|grade|feedback|gradebook``, see :mod:`simulation.cli.assignments`) or
:func:`simulation.grading.batch.grade_folder`. Modules: ``notebook`` (questions in cell
metadata, student copies, graded notebooks), ``values`` (answers as JSON and their
comparison), ``key`` (expected values for a student's seed), ``runner`` (one submission in a
sandboxed kernel under nbval), ``batch`` (a class, in parallel), ``reports`` (gradebook, LMS
files, feedback, hand-graded answers).
"""

from . import emit as _emit  # noqa: F401  (loaded before any student code, so its references are the real ones)
from .selfcheck import check, record

__all__ = ["check", "record"]
