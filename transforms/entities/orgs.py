"""Well-known international organisations: their full names, variants and acronyms.

Agency copy names them in full once and by acronym afterwards, and an article that only says
'UN' must still land on the same dim_entity row as one that says 'United Nations'. This table is
general knowledge; per-article definitions ('General Administration of Customs (GAC)') are
picked up by canonical.py without any table.
"""

from __future__ import annotations

import functools

from transforms.entities.ids import norm_name

# canonical name -> "|"-separated other forms (acronyms first). The canonical name is the form
# agencies write in full; for bodies usually known by their acronym, the acronym is canonical.
_ORGS: dict[str, str] = {
    "United Nations": "UN|U.N.",
    "UN Security Council": "UNSC|United Nations Security Council|Security Council",
    "UN General Assembly": "UNGA|United Nations General Assembly",
    "World Health Organization": "WHO|World Health Organisation",
    "International Monetary Fund": "IMF",
    "World Bank": "World Bank Group",
    "World Trade Organization": "WTO|World Trade Organisation",
    "European Union": "EU",
    "European Commission": "",
    "Association of Southeast Asian Nations": "ASEAN|Association of South East Asian Nations",
    "Shanghai Cooperation Organization": "SCO|Shanghai Cooperation Organisation",
    "BRICS": "",
    "Group of 20": "G20|G-20|Group of Twenty",
    "Group of Seven": "G7|G-7",
    "North Atlantic Treaty Organization": "NATO|North Atlantic Treaty Organisation",
    "African Union": "African Union Commission",
    "Organization of the Petroleum Exporting Countries": "OPEC",
    "Asia-Pacific Economic Cooperation": "APEC",
    "New Development Bank": "NDB",
    "Asian Infrastructure Investment Bank": "AIIB",
    "Asian Development Bank": "ADB",
    "International Atomic Energy Agency": "IAEA",
    "International Energy Agency": "IEA",
    "International Renewable Energy Agency": "IRENA",
    "UNESCO": "United Nations Educational, Scientific and Cultural Organization",
    "UNICEF": "United Nations Children's Fund",
    "UN Development Programme": "UNDP|United Nations Development Programme",
    "UN Environment Programme": "UNEP|United Nations Environment Programme",
    "UN High Commissioner for Refugees": "UNHCR|United Nations High Commissioner for Refugees",
    "UN Conference on Trade and Development": "UNCTAD",
    "Food and Agriculture Organization": "FAO|Food and Agriculture Organization of the "
                                         "United Nations",
    "World Food Programme": "WFP",
    "International Labour Organization": "ILO|International Labor Organization",
    "International Olympic Committee": "IOC",
    "FIFA": "",
    "World Economic Forum": "WEF",
    "Organisation for Economic Co-operation and Development": "OECD|Organization for Economic "
                                                              "Cooperation and Development",
    "Gulf Cooperation Council": "GCC",
    "Arab League": "League of Arab States",
    "Collective Security Treaty Organization": "CSTO",
    "Eurasian Economic Union": "EAEU",
    "Commonwealth of Independent States": "CIS",
    "International Court of Justice": "ICJ",
    "World Meteorological Organization": "WMO",
    "World Intellectual Property Organization": "WIPO",
    "International Telecommunication Union": "ITU",
    "International Maritime Organization": "IMO",
    "International Civil Aviation Organization": "ICAO",
    "Intergovernmental Panel on Climate Change": "IPCC",
    "Organization of Islamic Cooperation": "OIC",
    "Forum on China-Africa Cooperation": "FOCAC",
    "Economic Community of West African States": "ECOWAS",
    "Southern African Development Community": "SADC",
    "East African Community": "EAC",
    "Caribbean Community": "CARICOM",
    "Mercosur": "Southern Common Market",
    "Interpol": "International Criminal Police Organization",
    "International Committee of the Red Cross": "ICRC",
    "Bank for International Settlements": "BIS",
    "Pacific Islands Forum": "PIF",
    "Conference on Interaction and Confidence Building Measures in Asia": "CICA",
    # The agency itself, when the body names it as a source ('told Xinhua', 'Xinhua learned').
    # Its credits and datelines are no mentions: fixups._credits drops those.
    "Xinhua": "Xinhua News Agency|Xinhuanet",
    # Banks, rating agencies and research firms that business copy quotes by name ('"...,"
    # Goldman Sachs said in a note'). Their names are shaped like persons' ('Morgan Stanley'),
    # so the rule that makes a name speaking in a quote's attribution a PERSON must know them.
    # Only names that are no person's and no common word: not 'Bloomberg', 'Fitch', 'Apple'.
    "Goldman Sachs": "",
    "Morgan Stanley": "",
    "JPMorgan Chase": "JPMorgan|J.P. Morgan",
    "Standard Chartered": "Standard Chartered Bank",
    "Deutsche Bank": "",
    "HSBC": "",
    "Citigroup": "Citi",
    "Bank of America": "",
    "Wells Fargo": "",
    "Barclays": "",
    "BNP Paribas": "",
    "UBS": "",
    "Nomura": "Nomura Securities",
    "Mizuho": "Mizuho Financial Group",
    "Fitch Ratings": "",
    "Moody's": "Moody's Investors Service|Moody's Analytics",
    "S&P Global": "Standard & Poor's|S&P Global Ratings",
    "Capital Economics": "",
    "Oxford Economics": "",
    "Wood Mackenzie": "",
    "Rystad Energy": "",
    "McKinsey & Company": "McKinsey",
    "PricewaterhouseCoopers": "PwC",
    "KPMG": "",
    "Deloitte": "",
    "Ernst & Young": "EY",
    "Boston Consulting Group": "BCG",
}



@functools.cache
def _index() -> dict[str, str]:
    out: dict[str, str] = {}
    for canonical, others in _ORGS.items():
        for form in [canonical, *filter(None, others.split("|"))]:
            out[norm_name(form)] = canonical
    return out


def known_org(text: str) -> str | None:
    """Canonical name of a well-known organisation written as `text` ('UN' -> 'United Nations')."""
    return _index().get(norm_name(text))


def org_forms() -> list[str]:
    """Every listed form as written (for ruler patterns)."""
    return [f for c, o in _ORGS.items() for f in [c, *filter(None, o.split("|"))]]
