"""Import real data: CBS boundaries, Kerncijfers, Leefbaarometer, income and local spreadsheets.

One module per source (:mod:`.boundaries`, :mod:`.kerncijfers`, :mod:`.leefbaarometer`,
:mod:`.inkomen`, :mod:`.lokaal`), each passing its values through :mod:`.validate` (numbers,
ranges, years, codes) and raising :class:`~wijkprofielen.errors.DataError` with a Dutch message
that names the file, the row or column and the fix (rules: ``docs/invoer.md``). :mod:`.pipeline` combines them into one
:class:`~wijkprofielen.dataset.Dataset` with a coverage report; :mod:`.wijkbuurtkaart` reads the
whole country. :mod:`.download` fetches the open sources (:mod:`.client` for HTTP, :mod:`.pdok`,
:mod:`.cbs_odata`, :mod:`.lbm_open`) into the cache of :mod:`.cache`; :mod:`.controle` checks the
services; :mod:`.opslag` knows where named datasets live and writes atomically.

This ``__init__`` imports nothing on purpose: :mod:`wijkprofielen.dataset` uses
:mod:`.opslag`, and the readers use the dataset module.
"""
