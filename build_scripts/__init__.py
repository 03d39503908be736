"""The site's build, one module per step: ``python -m build_scripts.build`` runs them in order.

Each step reads what is left of the arrow and writes what is right of it. "docs" is the
build's staged copy of ``docs/`` and "site" the staged site (see :mod:`.build`); only the
last step puts the site in place.

0. ``partnership`` (fields in ``partnership_fields``): partnership.yml -> the settings.
   ``customise``, ``reviews``, ``site_config``: docs/, includes/, mkdocs.yml, the settings
   -> docs made the partnership's own, its shared text and review dates, its mkdocs.yml.
1. ``engine_assets``: protocols/*.yaml, screening/, node_modules/pyodide -> docs/assets/engine/
   (compiled protocols, the engine wheel, the manifest) and docs/assets/pyodide/.
2. ``stdlib_trim``: Pyodide's standard library, protocols/cases/ -> a smaller python_stdlib.zip.
   ``snapshot``: the wheel, the compiled protocols, protocols/cases/ -> docs/assets/engine/snapshot.*.bin.
3. ``screening_pages``: compiled protocols, templates/ -> docs/screening/ID.md.
   ``case_studies``: case-studies/*.yaml, the protocols -> docs/trainers/cases/.
4. ``site_checks``, ``authored`` (with ``markup``): docs, includes/, protocol and case text
   -> nothing, or every problem at its file and line.
5. ``generators``: docs and its mkdocs.yml -> site (MkDocs or Zensical, strict).
6. ``theme_markup``, ``security``: site's pages -> the same pages, repaired, with their policy.
   ``host_files``, ``offline``, ``precompress``: site, deploy/, templates/sw.js -> .htaccess,
   _headers, sw.js, and a .br and .gz copy beside each large file.
7. ``publish``: the finished site -> site/ (or DIR/site with ``--out DIR``).

Beside the steps: ``paths`` (where everything is), ``errors`` (the one error root,
:class:`.errors.BuildError`, and its kinds), ``front_matter``, ``case_schema`` and
``json_schemas`` (the JSON Schemas in schemas/); ``node/`` holds the Node.js scripts that
start Pyodide for step 2, ``templates/`` the page and service worker templates. What runs
beside the build (the development server, the benchmarks, the host checker, set-up) is in
``tools/``.
"""
