"""What developers and hosts run beside the build; nothing here is published.

- ``serve``: the development server (``make serve``), with the host's caching headers.
- ``check_host``: checks a deployed copy of the site over HTTP.
- ``benchmark``, ``benchmark_bytes``, ``benchmark_size`` and ``bench_pages/``: measurement.
- ``browser``: how the tests and the benchmark start Debian's Chromium.
- ``js_fixtures``: writes the browser code's test fixtures from the engine.
- ``setup.sh``: installs what the build and the tests need (the README's commands run it).
"""
