"""A realistic data set planned in plain Python, with no Django imports.

``people``: an area's agencies, staff and families; ``casework``: the records
about them over the years; ``answers``: what practitioners wrote, from the
templates in ``texts`` and the names in ``names``.
"""
