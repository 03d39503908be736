"""Protocol and case files on disk, and the command line: CPython only, never in the browser wheel."""
