"""Demonyms (nationality adjectives and nouns) to ISO 3166-1 alpha-2 codes.

spaCy labels 'Kazakh', 'Lao' or 'Croatian' NORP (or, for rarer ones, ORG/PRODUCT) and returns a
string; the contract wants the country behind it. pycountry has no demonyms, so they are listed
here. General knowledge, not a list of any data set's words. Plural nouns ('Egyptians') are
handled by the lookup, not listed. Ambiguous words ('Korean', 'Congolese', 'Arab') are left out
on purpose: a wrong country is worse than none.
"""

from __future__ import annotations

# code -> "|"-separated demonyms; the first one is the canonical NORP name.
_DEMONYMS: dict[str, str] = {
    "AF": "Afghan|Afghani", "AL": "Albanian", "DZ": "Algerian", "AD": "Andorran",
    "AO": "Angolan", "AG": "Antiguan", "AR": "Argentine|Argentinian|Argentinean",
    "AM": "Armenian", "AU": "Australian|Aussie", "AT": "Austrian", "AZ": "Azerbaijani|Azeri",
    "BS": "Bahamian", "BH": "Bahraini", "BD": "Bangladeshi", "BB": "Barbadian",
    "BY": "Belarusian|Belarussian", "BE": "Belgian", "BZ": "Belizean", "BJ": "Beninese",
    "BT": "Bhutanese", "BO": "Bolivian", "BA": "Bosnian", "BW": "Botswanan|Motswana",
    "BR": "Brazilian", "BN": "Bruneian", "BG": "Bulgarian", "BF": "Burkinabe|Burkinabè",
    "BI": "Burundian", "KH": "Cambodian", "CM": "Cameroonian", "CA": "Canadian",
    "CV": "Cape Verdean|Cabo Verdean", "CF": "Central African", "TD": "Chadian",
    "CL": "Chilean", "CN": "Chinese|Sino", "CO": "Colombian", "KM": "Comorian",
    "CR": "Costa Rican", "CI": "Ivorian", "HR": "Croatian|Croat", "CU": "Cuban",
    "CY": "Cypriot", "CZ": "Czech", "DK": "Danish|Dane", "DJ": "Djiboutian",
    "DO": "Dominican", "EC": "Ecuadorian|Ecuadorean", "EG": "Egyptian",
    "SV": "Salvadoran|Salvadorean", "GQ": "Equatorial Guinean", "ER": "Eritrean",
    "EE": "Estonian", "SZ": "Swazi", "ET": "Ethiopian", "FJ": "Fijian",
    "FI": "Finnish|Finn", "FR": "French|Frenchman|Frenchwoman", "GA": "Gabonese",
    "GM": "Gambian", "GE": "Georgian", "DE": "German", "GH": "Ghanaian", "GR": "Greek",
    "GD": "Grenadian", "GT": "Guatemalan", "GN": "Guinean", "GW": "Bissau-Guinean",
    "GY": "Guyanese", "HT": "Haitian", "HN": "Honduran", "HU": "Hungarian",
    "IS": "Icelandic|Icelander", "IN": "Indian", "ID": "Indonesian", "IR": "Iranian",
    "IQ": "Iraqi", "IE": "Irish|Irishman", "IL": "Israeli", "IT": "Italian",
    "JM": "Jamaican", "JP": "Japanese", "JO": "Jordanian", "KZ": "Kazakh|Kazakhstani",
    "KE": "Kenyan", "KI": "I-Kiribati", "KP": "North Korean", "KR": "South Korean", "KW": "Kuwaiti",
    "KG": "Kyrgyz|Kyrgyzstani", "LA": "Lao|Laotian", "LV": "Latvian", "LB": "Lebanese",
    "LS": "Basotho|Mosotho", "LR": "Liberian", "LY": "Libyan", "LI": "Liechtensteiner",
    "LT": "Lithuanian", "LU": "Luxembourgish|Luxembourger", "MG": "Malagasy",
    "MW": "Malawian", "MY": "Malaysian", "MV": "Maldivian", "ML": "Malian", "MT": "Maltese",
    "MH": "Marshallese", "MR": "Mauritanian", "MU": "Mauritian", "MX": "Mexican",
    "FM": "Micronesian", "MD": "Moldovan", "MC": "Monegasque", "MN": "Mongolian",
    "ME": "Montenegrin", "MA": "Moroccan", "MZ": "Mozambican", "MM": "Myanmar|Burmese",
    "NA": "Namibian", "NR": "Nauruan", "NP": "Nepalese|Nepali", "NL": "Dutch|Dutchman",
    "NZ": "New Zealander|Kiwi", "NI": "Nicaraguan", "NE": "Nigerien", "NG": "Nigerian",
    "MK": "North Macedonian|Macedonian", "NO": "Norwegian", "OM": "Omani",
    "PK": "Pakistani", "PW": "Palauan", "PS": "Palestinian", "PA": "Panamanian",
    "PG": "Papua New Guinean", "PY": "Paraguayan", "PE": "Peruvian",
    "PH": "Philippine|Filipino|Filipina", "PL": "Polish|Pole", "PT": "Portuguese",
    "QA": "Qatari", "RO": "Romanian", "RU": "Russian", "RW": "Rwandan|Rwandese",
    "KN": "Kittitian|Nevisian", "LC": "Saint Lucian", "VC": "Vincentian", "WS": "Samoan",
    "SM": "Sammarinese", "ST": "Santomean|Sao Tomean", "SA": "Saudi|Saudi Arabian",
    "SN": "Senegalese", "RS": "Serbian|Serb", "SC": "Seychellois", "SL": "Sierra Leonean",
    "SG": "Singaporean", "SK": "Slovak|Slovakian", "SI": "Slovenian|Slovene",
    "SB": "Solomon Islander", "SO": "Somali|Somalian", "ZA": "South African",
    "SS": "South Sudanese", "ES": "Spanish|Spaniard", "LK": "Sri Lankan", "SD": "Sudanese",
    "SR": "Surinamese", "SE": "Swedish|Swede", "CH": "Swiss", "SY": "Syrian",
    "TJ": "Tajik|Tajikistani", "TZ": "Tanzanian", "TH": "Thai", "TL": "Timorese|East Timorese",
    "TG": "Togolese", "TO": "Tongan", "TT": "Trinidadian|Tobagonian", "TN": "Tunisian",
    "TR": "Turkish|Turk", "TM": "Turkmen|Turkmenistani", "TV": "Tuvaluan",
    "UG": "Ugandan", "UA": "Ukrainian", "AE": "Emirati", "GB": "British|Briton|Brit",
    "US": "American", "UY": "Uruguayan", "UZ": "Uzbek|Uzbekistani", "VU": "Ni-Vanuatu",
    "VE": "Venezuelan", "VN": "Vietnamese", "YE": "Yemeni|Yemenite", "ZM": "Zambian",
    "ZW": "Zimbabwean",
}

_BY_WORD: dict[str, str] = {}
for _code, _words in _DEMONYMS.items():
    for _w in _words.split("|"):
        _BY_WORD.setdefault(_w.casefold(), _code)

# Canonical NORP name for a code, so every article gives the same dim_entity name.
CANONICAL_DEMONYM: dict[str, str] = {c: w.split("|")[0] for c, w in _DEMONYMS.items()}


def demonym_code(text: str) -> str | None:
    """'Kazakh' -> 'KZ', 'Egyptians' -> 'EG', 'Filipinos' -> 'PH'; None when unknown."""
    key = " ".join(text.split()).casefold()
    if key in _BY_WORD:
        return _BY_WORD[key]
    for suffix in ("es", "s"):  # plural nouns: Egyptians, Filipinos, Swedes
        if key.endswith(suffix) and key[: -len(suffix)] in _BY_WORD:
            return _BY_WORD[key[: -len(suffix)]]
    return None


def all_demonyms() -> list[str]:
    """Every listed demonym in its written form (for ruler patterns)."""
    return [w for words in _DEMONYMS.values() for w in words.split("|")]


# Demonyms of regions, not countries ('Asian', 'Latin American'): NORP without a code.
REGIONAL_DEMONYMS = frozenset({
    "asian", "african", "american", "european", "arab", "arabian", "caribbean",
    "nordic", "scandinavian", "balkan", "baltic", "mediterranean", "eurasian", "hispanic",
    "latino", "latina", "slavic", "oceanian", "polynesian", "melanesian", "saharan",
    "sahelian", "andean", "caucasian", "anglo", "islander", "middle eastern",
})
# Words that qualify a regional demonym: 'Southeast Asian', 'Sub-Saharan African'.
_QUALIFIERS = frozenset({
    "north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest",
    "central", "latin", "middle", "sub-saharan", "northern", "southern", "eastern", "western",
    "pan", "pan-african", "pan-asian", "inner", "pacific", "trans-pacific",
})


def is_demonym_phrase(text: str) -> bool:
    """'Southeast Asian', 'Latin American', 'Middle Eastern', 'Asian': a regional demonym,
    perhaps qualified by a direction. A country's demonym after a qualifier ('South Korean')
    is the tables' business, not this one's."""
    words = text.casefold().replace("middle eastern", "middle-eastern").split()
    if not words or len(words) > 3:
        return False
    last = words[-1].replace("middle-eastern", "middle eastern")
    if last not in REGIONAL_DEMONYMS and not (
            last.endswith("s") and last[:-1] in REGIONAL_DEMONYMS):  # 'Asians', 'Arabs'
        return False
    return all(w in _QUALIFIERS for w in words[:-1])
