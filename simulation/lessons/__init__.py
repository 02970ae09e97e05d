"""Pure helpers of the course notebooks: the course's tables and seeds, the customer journey,
course views of the model's tables, the cleaning exercise and the glossary.
"""
