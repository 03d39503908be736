"""The engine's computer side: protocol and case files on disk, and the command line.

Runs only in CPython on a computer (the build, the command line, the tests), never in the
browser: the engine wheel holds :mod:`screening` alone, so the browser needs neither PyYAML
nor file access. ``python -m screening`` runs :mod:`screening_cli.cli`.

- :mod:`.files`: reading a file safely (size, encoding, plain files only);
- :mod:`.yaml_reader`: the safe YAML subset, every problem as ``path:line: message``;
- :mod:`.protocol_files`: checking and loading protocol files and folders;
- :mod:`.dumping`: the compiled JSON the build publishes for the browser;
- :mod:`.json_schema`, :mod:`.contract_files`: the JSON Schemas and TypeScript types written into ``schemas/``;
- :mod:`.cli`, :mod:`.answers`: the command line and its answers and record files.
"""
