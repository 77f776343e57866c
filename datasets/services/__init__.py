"""Every write to the catalogue, by subject: `catalogue` (datasets, resources, terms),
`access` (accepting terms, recording downloads), `profiling` (column profiles),
`importing` (CKAN and CSV manifests). Import the function from its module."""
