"""What the interop package adds to earlier apps' extension points."""

from common.api import foreign_apis
from datasets.interop.ckan_api import ERROR_SHAPES

# The CKAN Action API answers 404s and refused input in CKAN's shape, not /api/v1/'s.
foreign_apis.register("ckan", ERROR_SHAPES)
