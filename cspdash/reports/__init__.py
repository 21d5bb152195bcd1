"""Page-sized results composed from queries and analysis, one module per page.

The app calls exactly these functions (through app_data.py) and the command line prints them, so
every number on a page can be reproduced with `python -m cspdash ...`.
"""
