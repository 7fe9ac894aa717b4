"""Web: what readers see. The search form (filters) and a search as a page shows it (results), the pages
(views, charts, marks), the data exports and the feeds; urls.py routes them."""
