"""The canonical data sets of CRM Workbench, installed with the package as ``simulation.datasets``.

Each folder holds one data set (gzip CSV tables and a ``manifest.json``); ``data_dictionary.csv``,
``database_schema.csv`` and ``erd.md`` document them. Load them with
:func:`simulation.load_dataset`; rebuild them with ``python -m simulation datasets build``.
"""
