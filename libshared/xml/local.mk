# libshared/xml: the XML models (domain, network, pool, volume). Filled by the XML work.
