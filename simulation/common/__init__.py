"""Helpers with no knowledge of the firm: argument and table checks, dates, files, the language
of labels and the data dictionary. Every other part of the package may use them; they use none.
"""
