"""Canonical data sets of the workbench: generation, contact details, dirty variant, loaders.

See ``datasets/README.md`` for what each data set holds and how to regenerate it.
"""

from .build import DATASETS, DatasetSpec, build, check, dataset_names, datasets_root, generate, load_dataset
from .contacts import make_contacts
from .csvio import load_table
from .dirty import DirtyRates, make_dirty
from .file_schema import DatasetError, schema, truth_columns
from .scoring import score_column, score_duplicates

__all__ = [
    "DATASETS",
    "DatasetSpec",
    "DatasetError",
    "DirtyRates",
    "build",
    "check",
    "dataset_names",
    "datasets_root",
    "generate",
    "load_dataset",
    "load_table",
    "make_contacts",
    "make_dirty",
    "schema",
    "score_column",
    "score_duplicates",
    "truth_columns",
]
