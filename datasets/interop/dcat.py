"""DCAT-AP descriptions of the catalogue and its datasets, as rdflib graphs.

The mapping follows ckanext-dcat's (docs/mapping.md): Dataset -> dcat:Dataset,
Resource -> dcat:Distribution, Publisher -> foaf:Agent, the dataset's contact ->
vcard:Kind, the catalogue -> dcat:Catalog, with the EU Publications Office vocabularies
for themes, update frequency, access rights and file types. A paged catalogue says how
to reach its other pages with Hydra's paging properties, as ckanext-dcat does.

Every distribution's access URL is the platform's download page (or an open link's own
address): the export never points at a stored file.
"""

import re
from urllib.parse import quote

from django.conf import settings
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF, RDFS, SKOS, XSD

from datasets.enums import AccessLevel
from datasets.interop.links import dataset_page_url, resource_url
from datasets.models import Dataset, Licence, Publisher, Resource

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
EU = "http://publications.europa.eu/resource/authority"
THEME = Namespace(f"{EU}/data-theme/")
FREQUENCY = Namespace(f"{EU}/frequency/")
ACCESS_RIGHT = Namespace(f"{EU}/access-right/")
FILE_TYPE = Namespace(f"{EU}/file-type/")
MEDIA_TYPE = "https://www.iana.org/assignments/media-types/"
# Formats with a code in the EU file-type vocabulary (the code is the format's name);
# any other is written as text, not as an address that does not exist.
EU_FILE_TYPES = {
    "CSV", "XLSX", "JSON", "PDF", "ZIP", "GEOJSON", "XML", "HTML", "TXT", "PNG", "JPEG"
}  # fmt: skip

ACCESS_RIGHTS = {
    AccessLevel.OPEN: ACCESS_RIGHT.PUBLIC,
    AccessLevel.SIGNED_IN: ACCESS_RIGHT.RESTRICTED,
    AccessLevel.RESTRICTED: ACCESS_RIGHT.RESTRICTED,
}

PREFIXES = {
    "dcat": DCAT,
    "dct": DCTERMS,
    "foaf": FOAF,
    "vcard": VCARD,
    "spdx": SPDX,
    "hydra": HYDRA,
    "owl": OWL,
    "skos": SKOS,
    "rdfs": RDFS,
    "xsd": XSD,
}
# Characters a URL may be stored with (Django's URLValidator allows them) that rdflib
# refuses in a URIRef, and controls: written percent-encoded.
UNSAFE_IN_URI = re.compile(r'[\x00-\x20\x7f<>"{}|\\^`]')

# Catalogue pages hold this many datasets (ckanext-dcat's default).
PAGE_SIZE = 100


def uri(address: str) -> URIRef:
    """A URIRef for a stored address, its characters unsafe in a URI percent-encoded."""
    return URIRef(UNSAFE_IN_URI.sub(lambda match: quote(match[0], safe=""), address))


def new_graph() -> Graph:
    graph = Graph(bind_namespaces="core")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


def jsonld_context() -> dict:
    return {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}


class GraphBuilder:
    """Adds datasets to one graph; agents and licences shared by several datasets are
    described once."""

    def __init__(self, graph: Graph, request):
        self.graph = graph
        self.request = request
        self._publishers: dict[int, BNode] = {}
        self._licences: dict[str, URIRef | BNode] = {}

    def add(self, subject, predicate, value) -> None:
        """Add a triple unless the value is empty (an empty text says nothing)."""
        if value is None or (isinstance(value, Literal) and str(value) == ""):
            return
        self.graph.add((subject, predicate, value))

    def publisher(self, publisher: Publisher) -> BNode:
        if publisher.pk not in self._publishers:
            node = self._publishers[publisher.pk] = BNode()
            self.add(node, RDF.type, FOAF.Agent)
            self.add(node, FOAF.name, Literal(publisher.name))
            if publisher.url:
                self.add(node, FOAF.homepage, uri(publisher.url))
            if publisher.contact_email:
                self.add(node, FOAF.mbox, _mailto(publisher.contact_email))
        return self._publishers[publisher.pk]

    def licence(self, licence: Licence):
        if licence.id not in self._licences:
            node = uri(licence.url) if licence.url else BNode()
            self.add(node, RDF.type, DCTERMS.LicenseDocument)
            self.add(node, RDFS.label, Literal(licence.title))
            self.add(node, DCTERMS.identifier, Literal(licence.id))
            self._licences[licence.id] = node
        return self._licences[licence.id]

    def dataset(self, dataset: Dataset) -> URIRef:
        """Describe a dataset (with `published_datasets`' prefetches: no queries)."""
        page = dataset_page_url(dataset, self.request)
        node = URIRef(page)
        add, literal = self.add, Literal
        add(node, RDF.type, DCAT.Dataset)
        add(node, DCTERMS.title, literal(dataset.title))
        # DCAT-AP makes a description mandatory; a dataset without one repeats its title.
        add(node, DCTERMS.description, literal(dataset.description or dataset.title))
        add(node, DCTERMS.identifier, literal(str(dataset.pk)))
        add(node, DCTERMS.publisher, self.publisher(dataset.publisher))
        add(node, DCTERMS.license, self.licence(dataset.licence))
        add(node, DCAT.landingPage, uri(dataset.landing_page or page))
        add(node, DCTERMS.accessRights, ACCESS_RIGHTS[dataset.access_level])
        add(node, DCTERMS.accrualPeriodicity, FREQUENCY[dataset.update_frequency])
        if dataset.issued:
            add(node, DCTERMS.issued, literal(dataset.issued, datatype=XSD.date))
        if dataset.modified:
            add(node, DCTERMS.modified, literal(dataset.modified, datatype=XSD.date))
        if dataset.version:
            add(node, OWL.versionInfo, literal(dataset.version))
        for keyword in dataset.keywords.all():
            add(node, DCAT.keyword, literal(keyword.name))
        for row in dataset.themes.all():
            add(node, DCAT.theme, THEME[row.theme])
        self._contact(node, dataset)
        self._temporal(node, dataset)
        if dataset.geography_coverage:
            place = BNode()
            add(node, DCTERMS.spatial, place)
            add(place, RDF.type, DCTERMS.Location)
            add(place, SKOS.prefLabel, literal(dataset.geography_coverage))
        if dataset.provenance:
            statement = BNode()
            add(node, DCTERMS.provenance, statement)
            add(statement, RDF.type, DCTERMS.ProvenanceStatement)
            add(statement, RDFS.label, literal(dataset.provenance))
        for resource in dataset.resources.all():
            add(node, DCAT.distribution, self.distribution(resource, dataset, page))
        return node

    def _contact(self, node, dataset: Dataset) -> None:
        if not (dataset.contact_name or dataset.contact_email):
            return
        contact = BNode()
        self.add(node, DCAT.contactPoint, contact)
        self.add(contact, RDF.type, VCARD.Kind)
        self.add(contact, VCARD.fn, Literal(dataset.contact_name or dataset.publisher.name))
        if dataset.contact_email:
            self.add(contact, VCARD.hasEmail, _mailto(dataset.contact_email))

    def _temporal(self, node, dataset: Dataset) -> None:
        if not (dataset.temporal_start or dataset.temporal_end):
            return
        period = BNode()
        self.add(node, DCTERMS.temporal, period)
        self.add(period, RDF.type, DCTERMS.PeriodOfTime)
        if dataset.temporal_start:
            self.add(period, DCAT.startDate, Literal(dataset.temporal_start, datatype=XSD.date))
        if dataset.temporal_end:
            self.add(period, DCAT.endDate, Literal(dataset.temporal_end, datatype=XSD.date))

    def distribution(self, resource: Resource, dataset: Dataset, page: str) -> URIRef:
        node = URIRef(f"{page}#resource-{resource.pk}")
        add = self.add
        address = uri(resource_url(resource, self.request))
        add(node, RDF.type, DCAT.Distribution)
        add(node, DCTERMS.title, Literal(resource.name))
        add(node, DCTERMS.description, Literal(resource.description))
        add(node, DCAT.accessURL, address)  # mandatory in DCAT-AP
        if resource.is_upload:
            add(node, DCAT.downloadURL, address)
        add(node, DCTERMS.license, self.licence(dataset.licence))
        add(node, DCTERMS.issued, Literal(resource.created_at, datatype=XSD.dateTime))
        add(node, DCTERMS.modified, Literal(resource.updated_at, datatype=XSD.dateTime))
        if resource.format:
            add(node, DCTERMS["format"], _file_type(resource.format))
        if resource.media_type:
            add(node, DCAT.mediaType, URIRef(MEDIA_TYPE + quote(resource.media_type, safe="/+")))
        if resource.size is not None:
            add(node, DCAT.byteSize, Literal(resource.size, datatype=XSD.nonNegativeInteger))
        if resource.sha256:
            checksum = BNode()
            add(node, SPDX.checksum, checksum)
            add(checksum, RDF.type, SPDX.Checksum)
            add(checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256)
            add(checksum, SPDX.checksumValue, Literal(resource.sha256, datatype=XSD.hexBinary))
        return node


def dataset_graph(dataset: Dataset, request) -> Graph:
    graph = new_graph()
    GraphBuilder(graph, request).dataset(dataset)
    return graph


def catalogue_graph(datasets, request, *, page: int, total: int, page_url) -> Graph:
    """The catalogue with one page of `datasets` (`total` in all); `page_url(n)` is the
    address of page n, for Hydra's paging links."""
    graph = new_graph()
    builder = GraphBuilder(graph, request)
    catalogue = URIRef(request.build_absolute_uri("/"))
    site = Literal(settings.SITE_NAME)
    builder.add(catalogue, RDF.type, DCAT.Catalog)
    builder.add(catalogue, DCTERMS.title, Literal(f"{settings.SITE_NAME} dataset catalogue"))
    builder.add(
        catalogue,
        DCTERMS.description,
        Literal("Public datasets kept by the cooperative for its hackathons."),
    )
    builder.add(catalogue, FOAF.homepage, catalogue)
    publisher = URIRef(f"{catalogue}#publisher")
    builder.add(catalogue, DCTERMS.publisher, publisher)
    builder.add(publisher, RDF.type, FOAF.Agent)
    builder.add(publisher, FOAF.name, site)
    for dataset in datasets:
        builder.add(catalogue, DCAT.dataset, builder.dataset(dataset))
    _paging(builder, page=page, total=total, page_url=page_url)
    return graph


def _paging(builder: GraphBuilder, *, page: int, total: int, page_url) -> None:
    last = max(1, -(-total // PAGE_SIZE))
    node = URIRef(page_url(page))
    add = builder.add
    add(node, RDF.type, HYDRA.PagedCollection)
    add(node, HYDRA.totalItems, Literal(total, datatype=XSD.integer))
    add(node, HYDRA.itemsPerPage, Literal(PAGE_SIZE, datatype=XSD.integer))
    add(node, HYDRA.firstPage, Literal(page_url(1)))
    add(node, HYDRA.lastPage, Literal(page_url(last)))
    if page > 1:
        add(node, HYDRA.previousPage, Literal(page_url(page - 1)))
    if page < last:
        add(node, HYDRA.nextPage, Literal(page_url(page + 1)))


def _file_type(text: str) -> URIRef | Literal:
    code = text.strip().upper()
    return FILE_TYPE[code] if code in EU_FILE_TYPES else Literal(text)


def _mailto(address: str) -> URIRef:
    return URIRef("mailto:" + quote(address, safe="@.+-_"))
