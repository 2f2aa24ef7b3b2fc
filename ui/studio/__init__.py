"""The generation studio's widgets, one small module per part of the page.

``backend`` (selector and banner), ``controls`` (settings, examples, cost, view code), ``clicks`` (one
click through :func:`genlab.studio.run`, with progress, Cancel and the rate-limit countdown), ``results``
(images, cost, errors), ``edit``, ``compare`` and ``history`` (the other tabs). Everything that decides
is in ``genlab.studio`` and ``genlab.backends``; these modules read widgets and draw what comes back.
"""
