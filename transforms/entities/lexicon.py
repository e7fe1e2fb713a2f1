"""Small word lists the rules share: titles, name particles, and the head nouns that tell an
organisation, a facility, a place or a region from a person. General English, no names."""

from __future__ import annotations

# The last word of a title written before a name: 'Kazakh President <Name>', 'WHO
# Director-General <Name>' (tokens 'Director', '-', 'General'), 'GAC spokesperson <Name>'.
# Single tokens only: the tokenizer splits hyphenated titles.
TITLE_HEADS = frozenset({
    "President", "Premier", "Minister", "General", "Governor", "Chairman", "Chairwoman",
    "Chairperson", "Chair", "Chancellor", "King", "Queen", "Prince", "Princess", "Emir",
    "Sultan", "Sheikh", "Ambassador", "Envoy", "Director", "Secretary", "Councilor",
    "Councillor", "Mayor", "Senator", "Commissioner", "CEO", "Pope",
    "Marshal", "Admiral", "Colonel", "Lieutenant", "Dr.", "Prof.",
    "Professor", "Mr.", "Mrs.", "Ms.", "Speaker", "Spokesperson", "Spokesman", "Spokeswoman",
    "spokesperson", "spokesman", "spokeswoman", "coach", "Coach", "manager", "Manager",
    "captain", "Leader", "leader", "Judge", "Justice",
    "Representative", "Commander", "Founder", "founder", "Counselor", "Consul",
    "astronaut", "astronauts",
})

# Lower-case particles that sit inside names ('Lula da Silva', 'Ursula von der Leyen').
NAME_PARTICLES = frozenset({
    "da", "de", "do", "dos", "das", "del", "della", "di", "du", "van", "von", "der", "den",
    "bin", "bint", "ibn", "al", "el", "la", "le", "y", "ben",
})

# Capitalised words that end a name run: they follow names but are never part of one.
NOT_NAME_WORDS = frozenset({
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December", "Jan.", "Feb.", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.",
    "On", "In", "At", "The", "And", "But", "For", "With", "From", "By", "Of", "To", "As",
    "Said", "Says", "Told", "Also", "Here", "There", "This", "That", "He", "She",
})

# Head nouns of organisations: a 'name' ending in one is not a person ('Luban Workshop').
ORG_HEADS = frozenset({
    "Workshop", "Institute", "Institution", "University", "College", "School", "Academy",
    "Bank", "Company", "Corporation", "Corp.", "Co.", "Inc.", "Ltd.", "Group", "Council",
    "Association", "Agency", "Foundation", "Committee", "Federation", "League", "Club", "Party",
    "Ministry", "Administration", "Authority", "Commission", "Organization", "Organisation",
    "Fund", "Union", "Society", "Office", "Department", "Bureau", "Center", "Centre",
    "Court", "Assembly", "Congress", "Parliament", "Forum", "Alliance", "Network", "Team",
    "Press", "News", "Airlines", "Airways", "Railway", "Railways", "Holdings", "Exchange",
    "Observatory", "Observatories", "Laboratory", "Lab", "Hospital", "Army", "Navy", "Force",
    "Police", "Service", "Services", "Cup", "Times", "Daily", "Post", "Cooperative",
    "Motors", "Electric", "Dynamics", "Hotel", "Hotels", "Airline", "Media", "Port",
    "Staff", "Secretariat", "Headquarters", "Customs", "Directorate", "Command", "Corps",
    "Division", "Board", "Program", "Programme",
    # business names ('Siemens Mobility', 'Vale Mining'): words no personal name ends in
    "Mobility", "Energy", "Telecom", "Telecommunications", "Petroleum", "Mining", "Pharma",
    "Pharmaceuticals", "Technologies", "Technology", "Systems", "Solutions", "Logistics",
    "Shipping", "Industries", "Enterprises", "Construction", "Engineering", "Resources",
    "Insurance", "Securities", "Investments", "Ventures", "Cement", "Breweries", "Brewery",
    "Refinery", "Manufacturing", "Semiconductor", "Semiconductors", "Automotive", "Aviation",
    "Ports", "Limited", "Trust", "Consortium", "Confederation",
})
FAC_HEADS = frozenset({
    "Museum", "Park", "Bridge", "Airport", "Stadium", "Station", "Hall", "Square", "Temple",
    "Tower", "Harbor", "Harbour", "Palace", "Gate", "Dam", "Highway", "Railway Station",
    "Canal", "Theatre", "Theater", "Library", "Garden", "Gardens", "Mosque", "Church",
})
LOC_HEADS = frozenset({
    "River", "Lake", "Mountain", "Mountains", "Mount", "Sea", "Ocean", "Desert", "Basin",
    "Island", "Islands", "Valley", "Plateau", "Peninsula", "Gulf", "Bay", "Strait", "Plain",
    "Forest", "Glacier", "Coast",
})
LAW_HEADS = frozenset({
    "Agreement", "Treaty", "Accord", "Accords", "Declaration", "Convention", "Protocol", "Act",
    "Law", "Charter", "Resolution", "Pact",
})
GPE_HEADS = frozenset({
    "Province", "County", "City", "Region", "District", "Prefecture", "State", "Municipality",
    "Township", "Village", "Town", "Oblast", "Governorate", "Emirate",
})

# '<word> of X' makes X a place: 'the province of Binh Duong', 'the city of Ismailia'.
PLACE_NOUNS = frozenset({
    "province", "city", "county", "region", "district", "prefecture", "capital", "state",
    "town", "village", "municipality", "island", "port", "township",
})

# Words that head a reported-speech clause.
SPEECH_VERBS = frozenset({
    "said", "says", "say", "told", "tells", "added", "adds", "noted", "stressed", "stresses",
    "stated", "explained", "explains", "warned", "warns", "emphasized", "emphasised",
    "emphasizes", "underlined", "announced", "announces", "insisted", "argued", "recalled",
    "remarked", "observed", "asserted", "confirmed", "revealed", "wrote", "declared",
    "acknowledged", "admitted", "urged", "urges", "reiterated", "highlighted", "commented",
})
# Finite verbs: a 'that' after one of them starts a relative clause, not reported speech
# ('said China is willing to ... that').
MODALS = frozenset({"is", "are", "was", "were", "will", "would", "should", "can", "could",
                    "has", "have", "had", "must", "may", "might", "does", "did", "do"})

# Honorifics written before a name, with or without the period ('Mr Preston', 'Dr. Hale').
HONORIFICS = frozenset({"Mr", "Mrs", "Ms", "Miss", "Dr", "Sir", "Dame", "Lady", "Lord", "Madam",
                        "Mme", "Mister", "Prof", "Mr.", "Mrs.", "Ms.", "Dr.", "Prof.", "Rev.",
                        "St."})

# Words right before a name that make it a firm or a club ('Brazilian club Santos', 'Japanese
# carmaker Toyota', 'FC Aktobe').
ORG_MARKERS_BEFORE = frozenset({
    "club", "side", "team", "firm", "company", "automaker", "carmaker", "maker", "brand",
    "giant", "operator", "startup", "retailer", "insurer", "lender", "manufacturer",
    "conglomerate", "supplier", "developer", "rivals", "FC", "AC", "SC", "CF", "Club", "Real",
    "Sporting", "Atletico", "Dynamo", "Dinamo",
})
# ... and right after it ('Aktobe FC', 'Tarragona Co.').
ORG_MARKERS_AFTER = frozenset({"FC", "CF", "SC", "AC", "Co", "Co.", "Inc", "Inc.", "Ltd",
                               "Ltd.", "Corp", "Corp.", "PLC", "plc", "AG", "SA", "GmbH"})
# Words of a sentence about a match: a town's name there is usually its club ('Shenhua beat
# Tottenham 2-1'). Only words that sport alone uses ('goals', 'season' or 'won' are not).
SPORTS_WORDS = frozenset({
    "beat", "beats", "defeated", "striker", "midfielder", "defender", "goalkeeper", "league",
    "derby", "fixture", "squad", "tournament", "semifinal", "semifinals", "quarterfinal",
    "quarterfinals", "playoff", "playoffs", "club", "clubs", "football", "soccer", "basketball",
    "volleyball", "League", "Cup", "FC",
})
# Roles written before a player's name ('striker Garcia'): a person, whatever the sentence.
PLAYER_ROLES = frozenset({"striker", "midfielder", "defender", "goalkeeper", "forward",
                          "winger", "teammate", "player", "star", "veteran", "rookie"})
# ... and word pairs ('drew with', 'lost to').
SPORTS_PAIRS = frozenset({("drew", "with"), ("draw", "with"), ("lost", "to"), ("win", "over"),
                          ("victory", "over"), ("defeat", "to"), ("drew", "against")})
# Words of a sentence about a business: a town's name there may be a firm ('Nokia', 'Toyota').
BUSINESS_WORDS = frozenset({
    "company", "companies", "firm", "firms", "shares", "stock", "shareholders", "subsidiary",
    "automaker", "carmaker", "brand", "brands", "revenue", "profit", "profits", "acquisition",
    "acquired", "merger", "listed", "CEO", "chairman", "startup", "manufacturer", "telecom",
    "operator", "customers", "products", "sales", "investors", "sold", "vehicles", "cars",
    "deliveries", "orders",
})
# Prepositions that put what follows on the map ('a plant in Aktobe', 'flights to Tarragona').
PLACE_PREPOSITIONS = frozenset({
    "in", "at", "near", "from", "to", "outside", "around", "across", "throughout", "into",
    "via", "toward", "towards", "between", "of", "visited", "visit", "visiting",
})

# Acronyms and shapes of technologies, products and economic measures: never organisations
# ('AI', 'IoT', 'NEV', 'EV', 'GDP'). Digit-then-letters shapes ('3D', '5G', '4K') are caught
# by TECH_SHAPE.
TECH_ACRONYMS = frozenset({
    "AI", "AGI", "AIGC", "GenAI", "IoT", "IIoT", "EV", "NEV", "PHEV", "BEV", "HEV", "GDP",
    "GNP", "GNI", "CPI", "PPI", "PMI", "FDI", "ODI", "R&D", "IT", "ICT", "VR", "AR", "XR",
    "LLM", "GPU", "CPU", "NPU", "TPU", "LED", "OLED", "LCD", "LNG", "LPG", "CNG", "PV", "ESG",
    "IPO", "M&A", "SME", "MSME", "SOE", "API", "SaaS", "PaaS", "UAV", "eVTOL", "GPS", "DNA",
    "RNA", "mRNA", "PCR", "MRI", "ATM", "SUV", "NFT", "VPN", "HVDC", "UHV", "VAT", "B2B",
    "B2C", "ETF", "CO2", "ERP", "OEM", "ODM", "KPI", "ROI", "EBITDA", "YoY", "CAGR", "HPC",
    "AIoT", "ICU", "PPP", "RMB",
})

# Lower-case roles written right before a name, as agencies introduce ordinary people and
# athletes ('rice farmer Somchai Boonmee', 'Kenyan runner Faith Chepngetich', 'tennis star
# Novak Djokovic'): what follows is a person whatever the model said. Only words that never
# stand before an organisation's name ('official' does: 'the official Xinhua News Agency';
# 'champion' does: 'defending champion Real Madrid').
ROLE_NOUNS = frozenset({
    "farmer", "herder", "fisherman", "vendor", "villager", "shopkeeper", "runner", "sprinter",
    "marathoner", "swimmer", "cyclist", "boxer", "skater", "skier", "gymnast", "hurdler",
    "striker", "midfielder", "defender", "goalkeeper", "winger", "teammate", "star",
    "economist", "researcher", "scientist", "activist", "lawmaker", "entrepreneur", "tourist",
    "student", "teacher", "engineer", "nurse", "historian", "archaeologist", "veterinarian",
    # titles written in lower case after an organisation ('KTZ chairman Talgat Aldybergenov')
    "chairman", "chairwoman", "chairperson", "president", "director", "governor", "minister",
    "ambassador", "mayor", "commissioner", "officer", "envoy", "secretary-general",
})

# Capitalised at a sentence start, these roles are no part of the name after them
# ('Volunteer Siti Nurhaliza said'). Not 'Son', 'Man', 'Fan' or 'Dean': names too.
LEADING_ROLES = frozenset(w.capitalize() for w in ROLE_NOUNS - {"star"}) | frozenset({
    "Volunteer", "Resident", "Villager", "Tourist", "Visitor", "Worker", "Driver", "Trader",
    "Vendor", "Lawyer", "Doctor", "Nurse", "Analyst", "Expert", "Researcher", "Professor",
})

# Nouns of an apposition that describes a person ('Olumide Bakare, an economist at ...').
PERSON_NOUNS = frozenset({
    "economist", "farmer", "spokesman", "spokeswoman", "spokesperson", "official", "professor",
    "researcher", "scientist", "director", "resident", "student", "teacher", "analyst",
    "expert", "engineer", "doctor", "nurse", "lawyer", "journalist", "reporter", "writer",
    "artist", "driver", "worker", "owner", "founder", "manager", "chairman", "chairwoman",
    "president", "minister", "ambassador", "diplomat", "lawmaker", "senator", "mayor",
    "governor", "member", "leader", "head", "chief", "executive", "vendor", "trader",
    "shopkeeper", "fisherman", "herder", "villager", "entrepreneur", "athlete", "player",
    "coach", "veteran", "mother", "father", "son", "daughter", "wife", "husband", "woman",
    "man", "girl", "boy", "tourist", "visitor", "volunteer", "officer", "soldier", "pilot",
    "historian", "archaeologist", "curator", "designer", "architect", "chef",
    "guide", "technician", "physician", "surgeon", "pharmacist", "veterinarian", "graduate",
    "lecturer", "dean", "principal", "secretary", "deputy", "adviser", "advisor", "consultant",
    "partner", "citizen", "native", "immigrant", "refugee", "survivor", "witness", "fan",
})
# Those of them that also describe an organisation ('Huawei, a leader in 5G', 'a member of',
# 'a partner'): not enough on their own to make a one-word name a person.
SHARED_NOUNS = frozenset({"member", "leader", "partner", "owner", "head", "chief", "executive",
                          "founder", "native", "fan", "survivor", "witness", "graduate",
                          "secretary", "deputy", "adviser", "advisor", "consultant"})
PERSON_ONLY_NOUNS = PERSON_NOUNS - SHARED_NOUNS

# Portfolio words of a title written 'Minister of Economy <Name>', 'Secretary of State <Name>':
# the words between the title and the name.
PORTFOLIO_WORDS = frozenset({
    "Economy", "Finance", "Health", "Defense", "Defence", "Agriculture", "Education", "Energy",
    "Culture", "Tourism", "Trade", "Transport", "Transportation", "Industry", "Justice", "Labor",
    "Labour", "Interior", "Environment", "Foreign", "Affairs", "Home", "Commerce", "Mines",
    "Mining", "Water", "Fisheries", "Science", "Technology", "Information", "Communications",
    "Sports", "Youth", "Planning", "Investment", "Infrastructure", "Housing", "Development",
    "Welfare", "Security", "State", "Works", "Lands", "Petroleum", "Digital", "Public",
    "Social", "Economic", "National", "Internal", "External", "Relations", "Resources",
    "Natural", "Rural", "Urban", "Innovation", "Higher", "Primary", "Women", "Family",
    "and", "&", "the",
})
