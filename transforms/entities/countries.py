"""Country names, regions and cities to ISO 3166-1 alpha-2 codes.

Lookups are EXACT after light normalisation (case, accents, periods, a leading 'the'): fuzzy
matching is what turns 'Inner Mongolia' into Mongolia. pycountry gives the official names;
the aliases below are the short forms agencies write ('U.S.', 'Britain', 'Russia', 'ROK').
"""

from __future__ import annotations

import functools
import unicodedata

import pycountry

# Short names agencies use that pycountry does not list (or lists only in 'X, Y of' form).
_ALIASES: dict[str, str] = {
    "US": "US", "USA": "US", "America": "US", "United States": "US",
    "UK": "GB", "Britain": "GB", "Great Britain": "GB", "United Kingdom": "GB",
    "Russia": "RU", "South Korea": "KR", "ROK": "KR", "Republic of Korea": "KR",
    "North Korea": "KP", "DPRK": "KP", "PRC": "CN", "Chinese mainland": "CN",
    "mainland China": "CN", "the mainland": "CN", "UAE": "AE", "Emirates": "AE",
    "DRC": "CD", "DR Congo": "CD", "Democratic Republic of the Congo": "CD",
    "Democratic Republic of Congo": "CD", "Congo-Kinshasa": "CD", "Congo-Brazzaville": "CG",
    "Turkey": "TR", "Turkiye": "TR", "Czech Republic": "CZ", "Ivory Coast": "CI",
    "Cape Verde": "CV", "Swaziland": "SZ", "Macedonia": "MK", "Burma": "MM",
    "Vatican": "VA", "Vatican City": "VA", "Holy See": "VA", "Palestine": "PS",
    "Brunei": "BN", "East Timor": "TL", "Holland": "NL", "Laos": "LA", "Vietnam": "VN",
    "Syria": "SY", "Iran": "IR", "Tanzania": "TZ", "Bolivia": "BO", "Venezuela": "VE",
    "Moldova": "MD", "Micronesia": "FM", "St. Kitts and Nevis": "KN", "St. Lucia": "LC",
    "St. Vincent and the Grenadines": "VC", "Sao Tome": "ST", "Bosnia": "BA",
    "Bosnia-Herzegovina": "BA", "Trinidad": "TT", "Antigua": "AG", "Kyrgyz Republic": "KG",
    "Slovak Republic": "SK", "Guinea Bissau": "GW", "Papua New Guinea": "PG",
}
# ISO lists these, but agency (Xinhua) copy treats them as regions of China, never as countries
# a story is about; they resolve like any other Chinese place (see CITY_COUNTRY).
_NOT_COUNTRIES = frozenset({"TW", "HK", "MO", "AQ"})  # and Antarctica is a continent

# Where a place is, for places that are not countries: capitals, large cities and Chinese
# provinces/regions. Used to correct labels (spaCy calls 'Karachi' an ORG) and, only when asked
# for, to give a city its country's code. Cheap general knowledge, not exhaustive.
_PLACES: dict[str, str] = {
    "CN": "Beijing|Shanghai|Tianjin|Chongqing|Guangzhou|Shenzhen|Wuhan|Chengdu|Hangzhou|"
          "Nanjing|Xi'an|Shenyang|Harbin|Changsha|Zhengzhou|Jinan|Qingdao|Dalian|Xiamen|"
          "Fuzhou|Kunming|Nanning|Guiyang|Lanzhou|Xining|Yinchuan|Urumqi|Lhasa|Hohhot|"
          "Taiyuan|Shijiazhuang|Hefei|Nanchang|Haikou|Changchun|Suzhou|Ningbo|Wuxi|Sanya|"
          "Hong Kong|Macao|Macau|Taiwan|Taipei|Xinjiang|Tibet|Inner Mongolia|Guangxi|Ningxia|"
          "Guangdong|Fujian|Zhejiang|Jiangsu|Shandong|Hebei|Henan|Hubei|Hunan|Sichuan|"
          "Yunnan|Guizhou|Shaanxi|Shanxi|Gansu|Qinghai|Hainan|Jiangxi|Anhui|Liaoning|Jilin|"
          "Heilongjiang|Xiongan",
    "US": "Washington|New York|Los Angeles|Chicago|San Francisco|Houston|Boston|Seattle|"
          "Miami|Atlanta|Detroit|Philadelphia|Las Vegas|Silicon Valley",
    "GB": "London|Manchester|Liverpool|Birmingham|Edinburgh|Glasgow",
    "RU": "Moscow|St. Petersburg|Saint Petersburg|Kazan|Vladivostok|Sochi|Novosibirsk",
    "JP": "Tokyo|Osaka|Kyoto|Yokohama|Hiroshima|Nagoya", "KR": "Seoul|Busan|Incheon",
    "KP": "Pyongyang", "IN": "New Delhi|Delhi|Mumbai|Kolkata|Chennai|Bengaluru|Bangalore",
    "PK": "Islamabad|Karachi|Lahore|Peshawar|Quetta|Gwadar|Rawalpindi",
    "AF": "Kabul", "BD": "Dhaka", "LK": "Colombo", "NP": "Kathmandu",
    "KZ": "Astana|Almaty", "UZ": "Tashkent|Samarkand", "KG": "Bishkek", "TJ": "Dushanbe",
    "TM": "Ashgabat", "MN": "Ulan Bator|Ulaanbaatar", "AZ": "Baku", "GE": "Tbilisi",
    "AM": "Yerevan", "IR": "Tehran", "IQ": "Baghdad|Basra|Mosul|Erbil", "SY": "Damascus|Aleppo",
    "LB": "Beirut", "IL": "Tel Aviv", "JO": "Amman", "SA": "Riyadh|Jeddah|Mecca",
    "AE": "Abu Dhabi|Dubai", "QA": "Doha", "KW": "Kuwait City", "BH": "Manama",
    "OM": "Muscat", "YE": "Sanaa|Aden", "TR": "Ankara|Istanbul|Izmir", "EG": "Cairo|Alexandria|"
    "Ismailia|Port Said|Suez|Sharm el-Sheikh|Luxor|Aswan", "LY": "Tripoli|Benghazi",
    "TN": "Tunis", "DZ": "Algiers", "MA": "Rabat|Casablanca|Marrakech", "SD": "Khartoum",
    "SS": "Juba", "ET": "Addis Ababa", "KE": "Nairobi|Mombasa|Kisumu|Nakuru|Eldoret",
    "TZ": "Dar es Salaam|Dodoma|Zanzibar", "UG": "Kampala", "RW": "Kigali", "SO": "Mogadishu",
    "DJ": "Djibouti", "NG": "Abuja|Lagos|Kano", "GH": "Accra", "SN": "Dakar",
    "CI": "Abidjan|Yamoussoukro", "CM": "Yaounde|Douala", "CD": "Kinshasa",
    "CG": "Brazzaville", "AO": "Luanda", "ZM": "Lusaka", "ZW": "Harare", "MZ": "Maputo",
    "ZA": "Pretoria|Johannesburg|Cape Town|Durban", "NA": "Windhoek", "BW": "Gaborone",
    "MG": "Antananarivo", "ML": "Bamako", "NE": "Niamey", "TD": "N'Djamena",
    "BR": "Brasilia|Rio de Janeiro|Sao Paulo|Salvador|Belem", "AR": "Buenos Aires",
    "CL": "Santiago", "PE": "Lima", "CO": "Bogota", "VE": "Caracas", "EC": "Quito",
    "BO": "La Paz", "UY": "Montevideo", "PY": "Asuncion", "MX": "Mexico City|Guadalajara",
    "CU": "Havana", "CA": "Ottawa|Toronto|Montreal|Vancouver", "NI": "Managua",
    "PA": "Panama City", "FR": "Paris|Marseille|Lyon|Nice|Strasbourg",
    "DE": "Berlin|Munich|Frankfurt|Hamburg|Cologne|Bonn", "IT": "Rome|Milan|Naples|Venice|Turin",
    "ES": "Madrid|Barcelona|Seville|Valencia", "PT": "Lisbon|Porto", "NL": "Amsterdam|"
    "The Hague|Rotterdam", "BE": "Brussels|Antwerp", "CH": "Geneva|Zurich|Bern|Davos|Lausanne",
    "AT": "Vienna", "PL": "Warsaw|Krakow", "CZ": "Prague", "HU": "Budapest",
    "RS": "Belgrade", "HR": "Zagreb", "GR": "Athens", "BG": "Sofia", "RO": "Bucharest",
    "UA": "Kyiv|Kiev|Kharkiv|Odesa|Odessa", "BY": "Minsk", "SE": "Stockholm",
    "NO": "Oslo", "DK": "Copenhagen", "FI": "Helsinki", "IE": "Dublin", "IS": "Reykjavik",
    "EE": "Tallinn", "LV": "Riga", "LT": "Vilnius", "TH": "Bangkok|Chiang Mai|Phuket",
    "VN": "Hanoi|Ho Chi Minh City|Da Nang|Haiphong", "LA": "Vientiane|Luang Prabang",
    "KH": "Phnom Penh|Siem Reap", "MM": "Yangon|Nay Pyi Taw|Naypyidaw|Mandalay",
    "MY": "Kuala Lumpur|Putrajaya", "ID": "Jakarta|Bali|Surabaya|Bandung",
    "PH": "Manila", "AU": "Canberra|Melbourne|Brisbane|Perth", "NZ": "Wellington|Auckland",
    "FJ": "Suva", "PG": "Port Moresby",
}
# 'Sydney', 'Victoria', 'Florence', 'Austin' are left out: they are also given names, and a
# label fix would turn a person into a place.

# A country word right after one of these is part of a region ('Inner Mongolia', 'Northern
# Ireland', 'Latin American'), not the country, unless the whole phrase is itself a country.
REGION_PREFIXES = frozenset({
    "inner", "outer", "northern", "southern", "eastern", "western", "central", "upper", "lower",
    "latin", "greater", "north", "south", "east", "west", "african", "native", "pan",
})


# Called for every candidate span by several tables: a bounded cache keeps a worker's hot set.
@functools.lru_cache(maxsize=1 << 16)
def norm_place(text: str) -> str:
    """Casefold, strip accents, periods, curly apostrophes and a leading 'the'."""
    return fold_place(text)


# Letters NFKD does not take apart: 'Adıyaman' is written 'Adiyaman', 'Łódź' 'Lodz'.
_LETTERS = str.maketrans({"ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D",
                          "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ð": "d",
                          "þ": "th", "ʻ": "'", "ʼ": "'", "‘": "'"})


def fold_place(text: str) -> str:
    """norm_place without the cache, for building tables of many names once."""
    s = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    s = "".join(c for c in s if not unicodedata.combining(c)).replace("\u2019", "'")
    s = " ".join(s.replace(".", "").split()).casefold()
    return s[4:] if s.startswith("the ") else s


@functools.cache
def _country_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for c in pycountry.countries:
        if c.alpha_2 in _NOT_COUNTRIES:
            continue
        names = [c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)]
        for name in filter(None, names):
            index.setdefault(norm_place(name), c.alpha_2)
            if ", " in name:  # 'Korea, Republic of' is also written 'Republic of Korea'
                head, tail = name.split(", ", 1)
                index.setdefault(norm_place(f"{tail} {head}"), c.alpha_2)
    for alias, code in _ALIASES.items():
        index[norm_place(alias)] = code  # the aliases win over pycountry's long forms
    return index


@functools.cache
def _place_index() -> dict[str, str]:
    return {norm_place(p): code for code, ps in _PLACES.items() for p in ps.split("|")}


@functools.cache
def country_keys() -> frozenset[str]:
    """Every folded country name and alias (norm_place form)."""
    return frozenset(_country_index())


def country_code(text: str) -> str | None:
    """'Kazakhstan' -> 'KZ', 'the United States' -> 'US', 'U.S.' -> 'US'; None otherwise."""
    key = norm_place(text)
    if key.endswith("'s"):
        key = key[:-2]
    return _country_index().get(key)


def place_country(text: str) -> str | None:
    """Country of a known city or region: 'Karachi' -> 'PK', 'Inner Mongolia' -> 'CN'."""
    key = norm_place(text)
    for suffix in (" autonomous region", " province", " special administrative region",
                   " municipality", " region", " city"):
        if key.endswith(suffix) and key[: -len(suffix)] in _place_index():
            return _place_index()[key[: -len(suffix)]]
    return _place_index().get(key)


def country_name(code: str) -> str:
    """A short, stable display name for a country code ('RU' -> 'Russia')."""
    if code in _SHORT_NAMES:
        return _SHORT_NAMES[code]
    c = pycountry.countries.get(alpha_2=code)
    return code if c is None else (getattr(c, "common_name", None) or c.name)


# pycountry's names are official ('Russian Federation'); dim_entity shows the usual short form.
_SHORT_NAMES = {"US": "United States", "GB": "United Kingdom", "RU": "Russia", "KR": "South Korea",
                "KP": "North Korea", "TR": "Turkiye", "CZ": "Czech Republic", "VA": "Vatican",
                "PS": "Palestine", "BN": "Brunei", "CD": "Democratic Republic of the Congo",
                "FM": "Micronesia", "VN": "Vietnam", "LA": "Laos", "IR": "Iran", "SY": "Syria",
                "BO": "Bolivia", "VE": "Venezuela", "TZ": "Tanzania", "MD": "Moldova"}


def country_names() -> list[str]:
    """Country names and aliases as written (for ruler patterns)."""
    out = list(_ALIASES)
    for c in pycountry.countries:
        if c.alpha_2 not in _NOT_COUNTRIES:
            out.extend(n for n in (c.name, getattr(c, "common_name", None)) if n and "," not in n)
    return out


def place_names() -> list[str]:
    """Known cities and regions as written (for ruler patterns)."""
    return [p for ps in _PLACES.values() for p in ps.split("|")]
