"""The documentation site's build-time renderers, as a Python-Markdown extension.

``mkdocs.yml`` names ``relu_docs.render`` under ``markdown_extensions``; pages
ask for a table, figure or sentence with ``<!-- render: module.function args -->``
and the function ``relu_docs.<module>.<function>`` returns its Markdown.
Modules: ``bench`` (benchmark tables, figures and the claims drawn from the
results), ``claims`` (comparative sentences checked against the data),
``correctness``, ``variants``, ``nn`` (tutorial figures), ``registry`` (the
package's registries), ``notebooks`` (each page as a script and a notebook),
``figures`` (themed inline SVG) and ``tables`` (Markdown tables).
"""
