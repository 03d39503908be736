"""Build steps for the site: protocols, engine wheel, Pyodide files and screening pages.

Everything is written into ``docs/`` as ordinary files before the site generator runs, so
MkDocs (or a successor that reads the same mkdocs.yml) only has static files to serve.
"""
