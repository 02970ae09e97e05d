"""The canonical data sets: what each one is, how it is generated, checked and loaded.

Each data set is a folder of ``datasets/`` with one gzip CSV file per table and a
``manifest.json`` (scenario, seed, row counts and the SHA-256 of every file's CSV text).
Generation is deterministic — the same model, scenario and seed give the same bytes — so
``python -m simulation datasets build --check`` can regenerate everything into a temporary
folder and compare it with the committed files.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..common.checks import did_you_mean
from ..common.files import datasets_folder
from ..scenario.fields import to_dict
from ..scenario.parts import Scenario
from ..scenario.presets import preset, scale_customers
from .contacts import make_contacts
from .csvio import gzip_bytes, load_table, table_text
from .dirty import make_dirty
from .file_schema import HIDDEN_EVENTS, DatasetError, truth_columns

__all__ = [
    "DatasetSpec",
    "DATASETS",
    "datasets_root",
    "dataset_names",
    "dataset_spec",
    "generate",
    "build",
    "check",
    "load_dataset",
]


@dataclass(frozen=True)
class DatasetSpec:
    """One canonical data set.

    Attributes
    ----------
    name : folder name under ``datasets/``.
    description : one line for listings.
    preset : scenario preset it starts from; ``horizon_days`` and ``customers`` are then set
        (the channels are scaled with :func:`simulation.scenario.presets.scale_customers`).
    seed : seed of the simulation, the contact details and (for a dirty set) the defects.
    tables : files written, in order (``truth`` = the hidden columns of ``customers``).
    dirty_of : for a dirty variant, the data set it is made from.
    """

    name: str
    description: str
    preset: str
    horizon_days: float
    customers: int
    seed: int
    tables: tuple[str, ...]
    dirty_of: str | None = None

    def scenario(self) -> Scenario:
        """The scenario of the data set."""
        sc = dataclasses.replace(preset(self.preset), horizon_days=float(self.horizon_days))
        return scale_customers(sc, self.customers)


_MODEL_TABLES = ("customers", "orders", "lifecycle", "plans", "events")
_DIRTY_TABLES = ("customers_raw", "orders_raw", "customers_truth", "orders_truth", "defects")

#: The canonical data sets, by name.
DATASETS: dict[str, DatasetSpec] = {
    s.name: s
    for s in [
        DatasetSpec(
            "class",
            "Evergreen, 2 years, about 2,000 customers (for class exercises)",
            "small-class",
            730.0,
            2000,
            20240101,
            ("customers", "truth", "contacts", "orders", "lifecycle", "plans", "events"),
        ),
        DatasetSpec(
            "large",
            "Evergreen, 3 years, about 20,000 customers (for projects)",
            "baseline",
            1095.0,
            20000,
            20240102,
            ("customers", "truth", "contacts", "orders", "lifecycle", "plans"),
        ),
        DatasetSpec(
            "class-dirty",
            "The class set's customers and orders as a messy CRM export, with the truth",
            "small-class",
            730.0,
            2000,
            20240103,
            _DIRTY_TABLES,
            dirty_of="class",
        ),
    ]
}


def datasets_root() -> Path:
    """The folder of the canonical data sets (:func:`simulation.common.files.datasets_folder`)."""
    return datasets_folder()


def dataset_names() -> list[str]:
    """Names of the canonical data sets."""
    return list(DATASETS)


def dataset_spec(name: str) -> DatasetSpec:
    """The :class:`DatasetSpec` called ``name`` (a close name is suggested when unknown)."""
    if name not in DATASETS:
        tip = did_you_mean(name, list(DATASETS))
        raise DatasetError(f"unknown data set {name!r}{tip} (data sets: {', '.join(DATASETS)})")
    return DATASETS[name]


# ---------------------------------------------------------------------- generation
def _model_tables(spec: DatasetSpec) -> tuple[dict[str, pd.DataFrame], Scenario]:
    from ..model.firm import run

    sc = spec.scenario()
    res = run(sc, spec.seed)
    cust = res.tables["customers"]
    hidden = list(truth_columns())
    tables = {
        "customers": cust[[c for c in cust.columns if c not in hidden]],
        "truth": cust[["customer_id"] + hidden],
        "contacts": make_contacts(cust, spec.seed, start_date=sc.start_date),
    }
    for name in _MODEL_TABLES[1:]:
        if name in spec.tables:
            df = res.tables[name]
            if name == "events":
                df = df.loc[~df["event_type"].astype(str).isin(HIDDEN_EVENTS)].reset_index(drop=True)
            tables[name] = df
    return tables, sc


def generate(name: str) -> dict[str, pd.DataFrame]:
    """The tables of data set ``name``, computed afresh (nothing is written).

    A dirty variant is made from its clean set's contacts, customers and orders.
    """
    spec = dataset_spec(name)
    if spec.dirty_of is None:
        tables, _sc = _model_tables(spec)
        return {t: tables[t] for t in spec.tables}
    base = dataset_spec(spec.dirty_of)
    tables, sc = _model_tables(dataclasses.replace(base, tables=base.tables + ("orders",)))
    return make_dirty(
        tables["contacts"],
        tables["customers"],
        tables["orders"],
        spec.seed,
        start_date=sc.start_date,
        horizon_days=sc.horizon_days,
    )


def _files(name: str) -> dict[str, bytes]:
    """File name -> bytes of every file of data set ``name`` (tables and manifest)."""
    spec = dataset_spec(name)
    tables = generate(name)
    files, listing = {}, {}
    for table in spec.tables:
        text = table_text(tables[table], table)
        fname = f"{table}.csv.gz"
        files[fname] = gzip_bytes(text)
        listing[fname] = {
            "table": table,
            "rows": int(len(tables[table])),
            "sha256_of_csv": hashlib.sha256(text).hexdigest(),
        }
    sc = dataset_spec(spec.dirty_of or name).scenario()
    manifest = {
        "name": spec.name,
        "description": spec.description,
        "regenerate": f"python -m simulation datasets build --only {spec.name}",
        "made_from": spec.dirty_of,
        "seed": spec.seed,
        "preset": spec.preset,
        "horizon_days": spec.horizon_days,
        "customers_target": spec.customers,
        "files": listing,
        "scenario": to_dict(sc),
    }
    files["manifest.json"] = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    return files


def build(names: list[str] | None = None, out: str | Path | None = None) -> list[Path]:
    """Generate data sets and write them, each into ``out/<name>/``, with ``data_dictionary.csv``.

    Parameters
    ----------
    names : list of str, optional
        Data sets to build (default: all).
    out : str or Path, optional
        Folder to write into (default: the repository's ``datasets/``, whose data-set folders
        are replaced). Each data set is written into a temporary folder first and moved into
        place at the end, so a failure leaves the previous files untouched.

    Returns
    -------
    The files written.
    """
    names = list(names or DATASETS)
    for n in names:
        dataset_spec(n)
    root = Path(out) if out is not None else datasets_root()
    root.mkdir(parents=True, exist_ok=True)
    written = []
    for n in names:
        files = _files(n)
        tmp = Path(tempfile.mkdtemp(prefix=f".{n}-", dir=root))
        try:
            tmp.chmod(0o755)  # mkdtemp makes it private
            for fname, data in files.items():
                (tmp / fname).write_bytes(data)
            target = root / n
            old = None
            if target.exists():
                old = root / f".{n}-old"
                shutil.rmtree(old, ignore_errors=True)
                os.replace(target, old)
            os.replace(tmp, target)
            if old is not None:
                shutil.rmtree(old)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        written += [root / n / f for f in files]
    written.append(_write_dictionary(root))
    return written


def _write_dictionary(root: Path) -> Path:
    """Write ``data_dictionary.csv`` (from :mod:`simulation.common.dictionary`) into ``root``."""
    from ..common.dictionary import dictionary_csv

    path = root / "data_dictionary.csv"
    tmp = root / ".data_dictionary.csv.tmp"
    tmp.write_bytes(dictionary_csv().encode("utf-8"))
    os.replace(tmp, path)
    return path


def _first_difference(a: bytes, b: bytes, csv: bool = True) -> str:
    """Where text ``a`` first differs from ``b``: a CSV row (1 = first after the header) or a line."""
    la, lb = a.split(b"\n"), b.split(b"\n")
    for k, (x, y) in enumerate(zip(la, lb)):
        if x != y:
            if not csv:
                return f"from line {k + 1}"
            return "in the header" if k == 0 else f"from row {k}"
    unit, header = ("rows", 1) if csv else ("lines", 0)
    return f"{len(la) - 1 - header} {unit} instead of {len(lb) - 1 - header}"


def check(names: list[str] | None = None, root: str | Path | None = None) -> list[str]:
    """Regenerate data sets in memory and compare them (and ``data_dictionary.csv``) with ``root``.

    Returns
    -------
    One line per difference (empty when every file is identical byte for byte). A file whose
    CSV text is identical but whose gzip bytes differ is reported as ``gzip only`` (a zlib
    build that compresses differently); it does not count as a difference.
    """
    from ..common.dictionary import dictionary_csv

    names = list(names or DATASETS)
    root = Path(root) if root is not None else datasets_root()
    problems = []
    dic = root / "data_dictionary.csv"
    if not dic.is_file():
        problems.append("data_dictionary.csv: missing")
    elif dic.read_bytes() != dictionary_csv().encode("utf-8"):
        problems.append(
            f"data_dictionary.csv: differs {_first_difference(dic.read_bytes(), dictionary_csv().encode())}"
        )
    for n in names:
        files = _files(n)
        folder = root / n
        present = {p.name for p in folder.iterdir()} if folder.is_dir() else set()
        for extra in sorted(present - set(files)):
            problems.append(f"{n}/{extra}: not produced by the generator")
        for fname, data in files.items():
            path = folder / fname
            if not path.is_file():
                problems.append(f"{n}/{fname}: missing")
                continue
            have = path.read_bytes()
            if have == data:
                continue
            if fname.endswith(".gz"):
                try:
                    have_text = gzip.decompress(have)
                except (OSError, EOFError):
                    problems.append(f"{n}/{fname}: not a gzip file")
                    continue
                new_text = gzip.decompress(data)
                if have_text == new_text:
                    continue
                problems.append(f"{n}/{fname}: differs {_first_difference(have_text, new_text)}")
            else:
                problems.append(f"{n}/{fname}: differs {_first_difference(have, data, csv=False)}")
    return problems


# ---------------------------------------------------------------------- loading
def load_dataset(name: str, table: str | None = None, *, root: str | Path | None = None, cell_by_cell: bool = False):
    """Load a canonical data set, validated against the data dictionary.

    Parameters
    ----------
    name : str
        ``class``, ``large`` or ``class-dirty`` (see :data:`DATASETS`).
    table : str, optional
        One table (``customers``, ``orders`` …); default: every table, as a dict.
    root : str or Path, optional
        Folder holding the data sets (default: the data sets installed with the package).
    cell_by_cell : bool
        Check every cell in Python instead of the fast reader (same tables, slower; see
        :func:`simulation.data.csvio.load_table`).

    Returns
    -------
    A DataFrame, or a dict of DataFrames keyed by table name.

    Raises
    ------
    DatasetError
        For an unknown data set or table, a missing file, or a malformed cell (the message
        names the file, the row and the column).

    Examples
    --------
    >>> orders = load_dataset("class", "orders")
    >>> raw = load_dataset("class-dirty")["customers_raw"]
    """
    spec = dataset_spec(name)
    root = Path(root) if root is not None else datasets_root()
    if table is None:
        return {t: load_dataset(name, t, root=root, cell_by_cell=cell_by_cell) for t in spec.tables}
    if table not in spec.tables:
        tip = did_you_mean(table, spec.tables)
        raise DatasetError(f"data set {name!r} has no table {table!r}{tip} (tables: {', '.join(spec.tables)})")
    path = root / name / f"{table}.csv.gz"
    if not path.is_file():
        raise DatasetError(
            f"{path}: file not found; regenerate it with `python -m simulation datasets build --only {name}`"
        )
    return load_table(path, table, label=f"{name}/{table}.csv.gz", cell_by_cell=cell_by_cell)
