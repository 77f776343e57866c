"""Every write to the catalogue, by subject: `catalogue` (publishers, datasets, terms),
`resources` (files and links), `featuring` (an event's featured datasets), `access`
(accepting terms, recording downloads), `profiling` (column profiles), `search` (the text
the search reads), `importing` (CKAN and CSV manifests). Import the function from its
module."""
