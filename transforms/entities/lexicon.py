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
