"""Search: text becomes runs and lexemes (tokens, passages, index), a query is parsed (query) and looked
up through the GIN index (matching), ranked (ranking), counted (facets) and shown in snippets (snippets).
It works on QuerySets it is given; it knows nothing of the pages."""
