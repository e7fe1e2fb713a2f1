"""Name pools and the template grammar of benchmarks/story_corpus.py (data only).

Templates use {SLOT} for values fixed per story (entities, date, headline numbers) and {slot}
for values drawn afresh at each use (see story_corpus.FRESH), so two stories of one event type
share phrasing but not facts, like real wire copy.
"""

from __future__ import annotations

PERSONS = [
    "Xi Jinping", "Li Qiang", "Wang Yi", "Kassym-Jomart Tokayev", "Murat Nurtleu",
    "Luiz Inacio Lula", "Mauro Vieira", "William Ruto", "Musalia Mudavadi", "Prabowo Subianto",
    "Sugiono Hadi",
    "Abdel Fattah al-Sisi", "Badr Abdelatty", "Sonexay Siphandone", "Thongsavanh Phomvihane",
    "Gabriel Boric", "Alberto van Klaveren", "Anthony Albanese", "Penny Wong", "Pham Minh Chinh",
    "Bui Thanh Son", "Shavkat Mirziyoyev", "Bakhtiyor Saidov", "Cyril Ramaphosa", "Ronald Lamola",
    "Hakainde Hichilema", "Mulambo Haimbe", "Aleksandar Vucic", "Marko Djuric", "Ilham Aliyev",
    "Jeyhun Bayramov", "Anwar Ibrahim", "Mohamad Hasan", "Shehbaz Sharif", "Ishaq Dar",
    "Gustavo Petro", "Laura Sarabia", "Bola Tinubu", "Yusuf Tuggar", "Hun Manet", "Sok Chenda",
    "Ngozi Okonjo-Iweala", "Antonio Guterres", "Kristalina Georgieva", "Tedros Ghebreyesus",
    "Fatih Birol", "Dilma Rousseff", "Elena Petrova", "Kenji Tanaka", "Grace Wanjiru",
    "Omar Khalil", "Sofia Rossi", "Ana Costa", "Zhang Min", "Liu Yang", "Chen Wei", "Amina Yusuf",
    "Tran Minh Duc", "Karim Benali", "Ivan Horvat", "Nurlan Seitkali", "Maria Fernandes",
]
OFFICES = ["President", "Prime Minister", "Foreign Minister", "Vice Premier", "Trade Minister",
           "Finance Minister", "Deputy Foreign Minister", "Ambassador", "Minister of Culture",
           "Minister of Emergency Situations", "Chief Justice", "Sports Minister",
           "Election Commission Chairman", "Space Agency Director", "Meteorological Chief"]
ORGS = ["United Nations", "World Trade Organization", "International Monetary Fund",
        "Shanghai Cooperation Organization", "African Union", "European Union",
        "Association of Southeast Asian Nations", "New Development Bank", "World Bank",
        "International Energy Agency", "World Health Organization", "BRICS Business Council",
        "Asian Infrastructure Investment Bank", "Conference on Interaction and Confidence "
        "Building Measures in Asia", "Eurasian Economic Union", "Food and Agriculture "
        "Organization", "International Olympic Committee", "World Meteorological Organization",
        "China National Space Administration", "General Administration of Customs",
        "National Bureau of Statistics", "Supreme People's Court", "Red Crescent Society",
        "International Committee of the Red Cross", "UNESCO", "Asian Football Confederation",
        "Central Election Commission", "China-Africa Development Fund", "Belt and Road Forum"]
# (city, country, demonym)
PLACES = [
    ("Beijing", "China", "Chinese"), ("Shanghai", "China", "Chinese"), ("Guangzhou", "China",
    "Chinese"), ("Astana", "Kazakhstan", "Kazakh"), ("Almaty", "Kazakhstan", "Kazakh"),
    ("Brasilia", "Brazil", "Brazilian"), ("Sao Paulo", "Brazil", "Brazilian"), ("Nairobi",
    "Kenya", "Kenyan"), ("Mombasa", "Kenya", "Kenyan"), ("Jakarta", "Indonesia", "Indonesian"),
    ("Surabaya", "Indonesia", "Indonesian"), ("Cairo", "Egypt", "Egyptian"), ("Alexandria",
    "Egypt", "Egyptian"), ("Vientiane", "Laos", "Lao"), ("Santiago", "Chile", "Chilean"),
    ("Valparaiso", "Chile", "Chilean"), ("Canberra", "Australia", "Australian"), ("Sydney",
    "Australia", "Australian"), ("Hanoi", "Vietnam", "Vietnamese"), ("Ho Chi Minh City",
    "Vietnam", "Vietnamese"), ("Tashkent", "Uzbekistan", "Uzbek"), ("Samarkand", "Uzbekistan",
    "Uzbek"), ("Pretoria", "South Africa", "South African"), ("Johannesburg", "South Africa",
    "South African"), ("Lusaka", "Zambia", "Zambian"), ("Belgrade", "Serbia", "Serbian"),
    ("Baku", "Azerbaijan", "Azerbaijani"), ("Kuala Lumpur", "Malaysia", "Malaysian"),
    ("Islamabad", "Pakistan", "Pakistani"), ("Karachi", "Pakistan", "Pakistani"), ("Bogota",
    "Colombia", "Colombian"), ("Abuja", "Nigeria", "Nigerian"), ("Lagos", "Nigeria", "Nigerian"),
    ("Phnom Penh", "Cambodia", "Cambodian"), ("Geneva", "Switzerland", "Swiss"), ("Moscow",
    "Russia", "Russian"), ("Budapest", "Hungary", "Hungarian"), ("Addis Ababa", "Ethiopia",
    "Ethiopian"), ("Dhaka", "Bangladesh", "Bangladeshi"), ("Lima", "Peru", "Peruvian"),
    ("Luang Prabang", "Laos", "Lao"), ("Melbourne", "Australia", "Australian"), ("Ndola",
    "Zambia", "Zambian"), ("Novi Sad", "Serbia", "Serbian"), ("Ganja", "Azerbaijan",
    "Azerbaijani"), ("Penang", "Malaysia", "Malaysian"), ("Medellin", "Colombia", "Colombian"),
    ("Siem Reap", "Cambodia", "Cambodian"), ("Zurich", "Switzerland", "Swiss"),
    ("St. Petersburg", "Russia", "Russian"), ("Debrecen", "Hungary", "Hungarian"), ("Bahir Dar",
    "Ethiopia", "Ethiopian"), ("Chittagong", "Bangladesh", "Bangladeshi"), ("Arequipa", "Peru",
    "Peruvian"), ("Da Nang", "Vietnam", "Vietnamese"), ("Port Harcourt", "Nigeria", "Nigerian")]
SECTORS = ["renewable energy", "agriculture", "the digital economy", "infrastructure",
           "public health", "tourism", "education", "green mining", "logistics", "e-commerce",
           "new energy vehicles", "artificial intelligence", "water conservancy", "aviation",
           "poverty reduction", "vocational training", "climate finance", "food security"]
ADJ = ["fruitful", "constructive", "in-depth", "candid", "productive", "friendly", "pragmatic"]
VERB_SAID = ["said", "noted", "stressed", "added", "pointed out", "told reporters"]
FEEDS = {"diplomacy": "world", "trade": "business", "disaster": "world", "sports": "sports",
         "summit": "world", "court": "china", "launch": "sci-tech", "election": "world",
         "weather": "china", "festival": "culture"}
SYNDICATORS = ["Asia News", "Global Times Online", "Eurasia Daily Wire", "Africa Business Post",
               "Pacific Herald", "Silk Road Monitor", "Latin America Report", "Morning Star Asia"]
SYNDICATED_TITLES = ["Roundup: {t}", "{t} - Xinhua", "{t} | Asia News", "Feature: {t}",
                     "{t} -- {site}", "{t}"]
BOILER_TOP = ["Share this story", "Share on Facebook | Share on X | Email this article",
              "Editor's note: This article is republished under a content-sharing agreement.",
              "Listen to this article (4 min)", "Advertisement"]
BOILER_BOTTOM = ["Follow us on X and Telegram for the latest news.",
                 "Related: {rel}", "Related: {rel} | {rel2}",
                 "Subscribe to our daily newsletter for the top stories from {site}.",
                 "Copyright {site}. All rights reserved.",
                 "Editor's note: Updated figures may be published as they become available."]
RELATED = ["Markets close higher on strong trade data", "Heavy rain expected across the south",
           "Leaders pledge closer cooperation at forum", "New rail link opens to passengers",
           "Festival draws record crowds", "Court upholds landmark ruling", "Team wins opener"]
UPDATE_LEADINS = ["In a later development, ", "Later on {DAY}, ", "Updating earlier reports, ",
                  "According to the latest information, ", "Hours after the announcement, "]
SWAPS = {"said": "stated", "announced": "confirmed", "more than": "over", "increase": "rise",
         "agreed": "pledged", "important": "significant", "help": "assist", "people": "residents",
         "support": "backing", "expected": "projected", "countries": "nations", "also": "further"}

GENERIC = [
    "Over the past decade, bilateral trade between {COUNTRY} and {COUNTRY2} has grown by an "
    "average of {pct} percent a year, according to official statistics.",
    "Analysts said the development reflected a broader trend across the region, where "
    "governments have stepped up investment in {sector} and transport links.",
    "The {ORG} has repeatedly called for closer coordination among its members on {sector}, "
    "citing the need to cushion economies from external shocks.",
    "Observers in {CITY} said the move was widely expected and would be watched closely by "
    "investors and policymakers in neighbouring countries.",
    "Local media reported that preparations had been under way for {n} months, with "
    "thousands of volunteers and staff taking part.",
    "The two countries established diplomatic relations in {year} and have since signed more "
    "than {n} cooperation documents covering {sector} and culture.",
    "In recent years, {DEM} companies have expanded their presence in {COUNTRY2}, building "
    "roads, power plants and industrial parks that employ local workers.",
    "A statement released after the event said both sides had reached consensus on a range of "
    "issues and agreed to maintain close communication.",
    "Experts interviewed by Xinhua said sustained cooperation in {sector} would help create "
    "jobs, raise incomes and improve living standards.",
    "Figures from the {ORG} show that the region attracted about {big} million U.S. dollars in "
    "new investment last year, up {pct} percent year on year.",
    "The event was broadcast live on national television and drew wide attention on social "
    "media platforms, where related topics trended for hours.",
    "{P2}, the {P2R}, said the outcome showed that dialogue and mutual respect remained the "
    "best way to address common challenges.",
    "Residents of {CITY} interviewed on {DAY} said they hoped the decision would bring more "
    "opportunities for young people and small businesses.",
    "Officials said further details would be announced in the coming weeks after "
    "consultations with the relevant departments and local authorities.",
    "The {ORG}, founded in {year}, now brings together {n} member states and observers from "
    "Asia, Africa, Europe and Latin America.",
    "According to a report published earlier this year, the sector accounts for nearly {pct} "
    "percent of {COUNTRY}'s gross domestic product.",
    "The initiative is part of a broader plan to modernize {sector} by {year2}, officials said.",
    "Security was tightened across {CITY} ahead of the event, with several main roads closed "
    "to traffic from early morning.",
    "The {DEM} side expressed appreciation for the support it had received and pledged to "
    "deepen practical cooperation in {sector}.",
    "Since the start of the year, more than {big} people have taken part in exchange programs "
    "between the two countries, the embassy said.",
    "Commentators noted that the timing was significant, coming just days before a regional "
    "meeting on {sector} scheduled to open in {CITY}.",
    "The government has set a target of raising output in {sector} by {pct} percent over the "
    "next five years, according to the national development plan.",
]
QUOTES = [
    "We are ready to work with all partners to turn our consensus into concrete results",
    "This is a long-term commitment, not a one-off project",
    "Our cooperation has brought real benefits to the people of both countries",
    "We will continue to open up and share opportunities with the rest of the world",
    "The results speak for themselves, and we are confident about the future",
    "Dialogue and consultation are the only way forward",
    "We need to act together, and we need to act now",
    "There is still a lot of work to do, but we are moving in the right direction",
]

# Per event type: titles, leads (the dateline's sentence), body sentences, quotes. Story-level
# slots of each type are drawn by story_corpus.EVENT_SLOTS.
EVENTS: dict[str, dict[str, list[str]]] = {
    "diplomacy": {
        "title": ["{P} meets {DEM2} counterpart in {CITY}", "{COUNTRY}, {COUNTRY2} vow to "
                  "deepen ties as {P} holds talks in {CITY}", "{P}, {P2} discuss {SECTOR} "
                  "cooperation"],
        "lead": ["{PR} {P} held talks with {P2R} {P2} in {CITY} on {DAY}, with both sides "
                 "pledging to deepen cooperation in {SECTOR} and other fields.",
                 "{PR} {P} met with visiting {P2R} {P2} on {DAY}, calling for closer ties "
                 "between {COUNTRY} and {COUNTRY2}."],
        "body": ["During the talks, {P} said {COUNTRY} regards {COUNTRY2} as a trusted partner "
                 "and is willing to expand exchanges at all levels.",
                 "The two sides signed {N1} cooperation documents covering {SECTOR}, trade and "
                 "people-to-people exchanges.",
                 "{P2} said {COUNTRY2} firmly supports the one-China principle and welcomes "
                 "more {DEM} investment in {sector}.",
                 "The talks were described as {adj} by officials from both countries.",
                 "{P} also proposed setting up a joint working group on {sector} to be "
                 "launched before the end of the year.",
                 "Both sides agreed to strengthen coordination within the {ORG} and other "
                 "multilateral frameworks.",
                 "Bilateral trade reached {BIG} million U.S. dollars last year, up {PCT} percent, "
                 "according to customs data.",
                 "The visit is {P2}'s first to {COUNTRY} since taking office."],
        "quote": ["We should build on the momentum and bring our partnership to a new level",
                  "Our friendship has stood the test of time"],
    },
    "trade": {
        "title": ["{COUNTRY}'s foreign trade up {PCT} pct in first {MON} months",
                  "{COUNTRY} posts trade surplus of {BIG} mln USD", "{DEM} exports to "
                  "{COUNTRY2} rise {PCT} percent"],
        "lead": ["{COUNTRY}'s total foreign trade rose {PCT} percent year on year to {BIG} "
                 "million U.S. dollars in the first {MON} months, official data showed on {DAY}.",
                 "Exports from {COUNTRY} to {COUNTRY2} grew {PCT} percent in the period, data "
                 "released by the {ORG} showed on {DAY}."],
        "body": ["Exports climbed {pct} percent while imports edged up {pct2} percent, "
                 "resulting in a surplus of {big} million dollars.",
                 "Trade with {COUNTRY2} accounted for {PCT2} percent of the total, making it "
                 "one of the country's largest trading partners.",
                 "Shipments of machinery and electronic products rose sharply, driven by strong "
                 "demand in {sector}.",
                 "The {ORG} attributed the growth to recovering global demand and new logistics "
                 "routes opened earlier in the year.",
                 "Agricultural exports, including fruit and seafood, jumped {pct} percent from "
                 "a year earlier.",
                 "Economists warned that slowing demand in major markets could weigh on exports "
                 "in the coming months.",
                 "Cross-border e-commerce continued to expand, with transactions up {pct2} "
                 "percent year on year.",
                 "The figures beat market expectations of {pct} percent growth."],
        "quote": ["Trade has shown strong resilience despite a complex external environment",
                  "We expect steady growth for the rest of the year"],
    },
    "disaster": {
        "title": ["Death toll from {CITY} floods rises to {N1}", "{N1} killed as landslide hits "
                  "village near {CITY}", "Earthquake of magnitude {MAG} jolts {COUNTRY}"],
        "lead": ["At least {N1} people were killed and {N2} others injured after heavy flooding "
                 "struck areas near {CITY} on {DAY}, local authorities said.",
                 "An earthquake of magnitude {MAG} struck {COUNTRY} on {DAY}, killing at least "
                 "{N1} people and damaging hundreds of houses near {CITY}."],
        "body": ["Rescuers were searching for {N3} people still missing, the {ORG} said.",
                 "More than {BIG} residents have been evacuated to temporary shelters.",
                 "Rescue teams used boats and helicopters to reach villages cut off by the "
                 "floodwaters, officials said.",
                 "The {DEM} government declared a state of emergency in {n} districts and "
                 "allocated emergency funds for relief.",
                 "Power and telephone lines were cut in several areas, hampering rescue efforts.",
                 "Meteorologists warned that more heavy rain was expected over the next "
                 "{n} days.",
                 "{P}, the {PR}, visited the affected areas on {DAY} and ordered an all-out "
                 "rescue effort.",
                 "China has sent its condolences and offered emergency humanitarian assistance, "
                 "the embassy said."],
        "quote": ["Our priority is to save lives and take care of those who lost their homes",
                  "The rescue work is racing against time"],
    },
    "sports": {
        "title": ["{TEAM} beat {TEAM2} {SCORE} in {CITY}", "{TEAM} edge {TEAM2} {SCORE} to reach "
                  "final", "{DEM} side {TEAM} stun {TEAM2} {SCORE}"],
        "lead": ["{TEAM} beat {TEAM2} {SCORE} at {CITY}'s National Stadium on {DAY}, moving top "
                 "of the group with {N1} points.",
                 "Hosts {TEAM} claimed a {SCORE} victory over {TEAM2} on {DAY} in front of "
                 "{BIG} spectators in {CITY}."],
        "body": ["The visitors took the lead in minute {n} before the hosts equalized "
                 "shortly after the break.",
                 "Coach {P2} praised his players for their discipline and fighting spirit.",
                 "The winning goal came from a header in minute {N2}.",
                 "{TEAM2} had chances to level late on but were denied by the goalkeeper.",
                 "The result leaves {TEAM2} {n} points behind with two matches remaining.",
                 "The tournament, organized by the {ORG}, features {N3} teams from across "
                 "the region.",
                 "Tickets for the match sold out within hours, organizers said.",
                 "{TEAM} will face the winner of the other semifinal on {DAY}."],
        "quote": ["The boys gave everything tonight and deserved the win",
                  "We know the next match will be even harder"],
    },
    "summit": {
        "title": ["{ORG} summit opens in {CITY} with {N1} leaders", "Leaders gather in "
                  "{CITY} for {ORG} summit", "{ORG} summit adopts {CITY} declaration"],
        "lead": ["Leaders from {N1} countries gathered in {CITY} on {DAY} for the {ORG} summit, "
                 "which is expected to focus on {SECTOR} and regional security.",
                 "The {ORG} summit opened in {CITY} on {DAY}, with host {PR} {P} calling for "
                 "unity in the face of global challenges."],
        "body": ["The summit is expected to adopt a declaration and more than {N2} documents "
                 "on cooperation.",
                 "{P} said the organization had become an important platform for dialogue "
                 "among its members.",
                 "Participants discussed ways to boost connectivity, trade facilitation and "
                 "cooperation in {sector}.",
                 "{P2}, the {P2R}, attended the summit for the first time.",
                 "On the sidelines, several leaders held bilateral meetings and signed "
                 "agreements on {sector}.",
                 "The next summit will be held in {CITY2} in {year2}, according to the "
                 "final statement.",
                 "About {BIG} journalists registered to cover the event, organizers said.",
                 "The {ORG} accounts for nearly {PCT} percent of the world's population."],
        "quote": ["No country can meet these challenges alone",
                  "This summit sends a strong signal of solidarity"],
    },
    "court": {
        "title": ["Court sentences former {DEM} official to {N1} years", "{CITY} court orders "
                  "{BIG} mln compensation in {SECTOR} case", "Top court upholds {N1}-year "
                  "sentence in {CITY} fraud case"],
        "lead": ["A court in {CITY} on {DAY} sentenced a former senior official to {N1} years "
                 "in prison for taking bribes worth {BIG} million yuan.",
                 "The {ORG} ruled on {DAY} in a landmark case involving {SECTOR}, ordering the "
                 "defendant to pay {BIG} million in compensation."],
        "body": ["The court found that the defendant had abused his position between {year} "
                 "and {year2} to seek benefits for companies.",
                 "The defendant pleaded guilty and expressed remorse, the court said.",
                 "His illegal gains will be confiscated and turned over to the state treasury.",
                 "Prosecutors said the case was one of the largest of its kind in {COUNTRY}.",
                 "The ruling is final and cannot be appealed, according to the statement.",
                 "Legal experts said the verdict would set a precedent for similar cases.",
                 "More than {N2} witnesses testified during the trial, which lasted {n} days.",
                 "The court also imposed a fine of {N3} million yuan."],
        "quote": ["The law applies equally to everyone, regardless of rank",
                  "This ruling protects the legitimate rights of consumers"],
    },
    "launch": {
        "title": ["{COUNTRY} launches new satellite from {CITY}", "{DEM} rocket puts {N1} "
                  "satellites into orbit", "{COUNTRY} successfully launches {SECTOR} probe"],
        "lead": ["{COUNTRY} successfully launched a new satellite on {DAY} from a launch site "
                 "near {CITY}, sending it into its planned orbit.",
                 "A {DEM} carrier rocket lifted off on {DAY}, placing {N1} satellites into "
                 "orbit, the {ORG} said."],
        "body": ["The satellite will be used mainly for {sector}, land surveys and disaster "
                 "monitoring.",
                 "It was flight number {N2} of the rocket series.",
                 "The satellite was developed by a research institute over {n} years.",
                 "Engineers said all systems were working normally after separation.",
                 "The launch was watched by {BIG} people online.",
                 "The project involved more than {N3} companies and research institutes.",
                 "Officials said more launches were planned before the end of {year2}.",
                 "The mission marks a milestone for the country's space program, experts said."],
        "quote": ["Space exploration belongs to all of humanity",
                  "This launch shows the maturity of our technology"],
    },
    "election": {
        "title": ["{COUNTRY} holds general election with {N2} parties running",
                  "Voter turnout reaches {PCT} pct in {COUNTRY} polls",
                  "{P} declared winner of {COUNTRY} presidential election"],
        "lead": ["Voters in {COUNTRY} went to the polls on {DAY} to elect a new parliament, "
                 "with turnout reaching {PCT} percent by midday, the {ORG} said.",
                 "{P} won the presidential election in {COUNTRY} with {PCT} percent of the vote, "
                 "preliminary results released on {DAY} showed."],
        "body": ["More than {BIG} polling stations opened across the country.",
                 "International observers from {N1} countries monitored the vote.",
                 "{P2}, the main opposition candidate, received {PCT2} percent of the vote.",
                 "Final results are expected to be announced within {n} days.",
                 "Voting went smoothly in most regions, the electoral commission said.",
                 "{N2} parties and {N3} candidates competed for seats in the legislature.",
                 "The new government will face the challenge of boosting growth in {sector}.",
                 "Polling stations in {CITY} stayed open late to accommodate long queues."],
        "quote": ["The people have spoken, and we respect their choice",
                  "This election was free, fair and transparent"],
    },
    "weather": {
        "title": ["Heat wave grips {CITY} as temperatures hit {N1} degrees", "Typhoon to bring "
                  "heavy rain to {CITY}", "Cold wave sweeps across {COUNTRY}, {N3} flights "
                  "canceled"],
        "lead": ["Temperatures in {CITY} soared to {N1} degrees Celsius on {DAY}, the highest "
                 "this year, prompting authorities to issue a red alert.",
                 "A typhoon is expected to make landfall near {CITY} on {DAY}, bringing "
                 "torrential rain and strong winds, the weather bureau said."],
        "body": ["The meteorological center said the conditions would last for at least {n} "
                 "more days.",
                 "Authorities advised residents to stay indoors and avoid outdoor work at noon.",
                 "Power consumption hit a record of {BIG} megawatts as air conditioners ran at "
                 "full capacity.",
                 "Schools in {N2} districts were closed as a precaution.",
                 "Flights and trains were delayed or canceled, affecting {N3} passengers.",
                 "Farmers were urged to take measures to protect crops.",
                 "Experts linked the extreme weather to climate change.",
                 "Rainfall of up to {N1}0 mm is expected in some areas."],
        "quote": ["We have prepared emergency teams in every district",
                  "Residents should follow official warnings closely"],
    },
    "festival": {
        "title": ["{CITY} festival celebrates {DEM} culture", "{N1} artists take part in "
                  "{CITY} arts festival", "{DEM2} artists join culture festival opening in "
                  "{CITY}"],
        "lead": ["The {CITY} International Culture Festival opened on {DAY}, bringing "
                 "together artists from {N2} countries and regions.",
                 "A week-long festival celebrating {DEM} and {DEM2} culture kicked off in "
                 "{CITY} on {DAY}, drawing thousands of visitors."],
        "body": ["The program includes concerts, film screenings, exhibitions and food fairs.",
                 "Visitors lined up to watch traditional dance performances and try local "
                 "cuisine.",
                 "Organizers expect more than {BIG} visitors over the course of the festival.",
                 "A photo exhibition on the history of exchanges between {COUNTRY} and "
                 "{COUNTRY2} drew large crowds.",
                 "{P2}, the {P2R}, attended the opening ceremony.",
                 "Workshops on calligraphy and tea culture were fully booked.",
                 "The festival has been held annually since {year}.",
                 "Tourism revenue is expected to rise by {PCT} percent during the festival."],
        "quote": ["Culture is a bridge that brings our peoples closer",
                  "Art speaks a language everyone understands"],
    },
}

# Background sentences are composed from short pieces (opener, subject, verb, object, tail):
# two stories rarely pick the same neighbouring pieces, so unrelated articles share few word
# 5-shingles, as unrelated wire copy does, while each piece still reads like wire copy.
OPENERS = ["", "", "", "Meanwhile,", "In addition,", "Separately,", "At the same time,",
           "Earlier this year,", "Last month,", "According to local media,", "On {day2},",
           "In {month},", "Since {year},", "By the end of {month},", "In recent weeks,",
           "Over the past {n} years,", "Earlier on {day2},", "Late last year,",
           "Following the announcement,", "In a separate move,", "Last week,"]
SUBJECTS = ["the {DEM} government", "{COUNTRY}'s {ministry} ministry", "the {ORG}",
            "officials in {CITY}", "local authorities in {CITY2}", "{n} provincial governments",
            "the central bank", "industry associations", "a delegation of {n} experts",
            "{P2}", "several {DEM2} companies", "the state broadcaster", "researchers at "
            "{uni}", "the national statistics office", "lawmakers in {COUNTRY}", "business "
            "leaders from {COUNTRY2}", "the two sides", "regional governments", "the chamber "
            "of commerce", "a joint venture based in {CITY2}", "the city council of {CITY}",
            "a group of {n} investors", "the planning commission", "an expert panel",
            "the {DEM2} embassy", "{uni}", "a {DEM2} consortium", "the port authority",
            "the ministry of {ministry}", "customs officials"]
VERBS = ["announced", "launched", "approved", "unveiled", "endorsed", "proposed", "completed",
         "introduced", "finalized", "presented", "backed", "reviewed", "set up", "drafted",
         "welcomed", "called for", "began work on", "released", "agreed on", "outlined"]
OBJECTS = ["a {n}-point plan on {sector}", "{big} million dollars in funding for {sector}",
           "new rules on {sector}", "a pilot program in {CITY2}", "a report on {sector}",
           "an agreement with partners in {COUNTRY2}", "a training center for {big} workers",
           "plans to expand {sector}", "a survey of {big} households", "a hotline for "
           "residents of {CITY}", "{n} new projects in {sector}", "a review of {sector} "
           "policy", "a {n}-year roadmap for {sector}", "tax incentives for {sector}",
           "a digital platform for small firms", "a fund worth {big} million yuan",
           "a scholarship program for {n} students", "measures to cut red tape",
           "an industrial park near {CITY2}", "a new rail freight route to {CITY2}",
           "a {n}-member task force", "an online exhibition on {sector}",
           "guidelines on {sector} standards", "a {month} deadline for applications",
           "a research center on {sector}", "a credit line of {big} million dollars"]
TAILS = ["", "", "", ", according to a statement", "to boost {sector}", "ahead of the {season}",
         "amid rising demand", "in a bid to attract investment", "after {n} months of talks",
         "as part of a strategy running to {year2}", "despite concerns over costs",
         "for the first time", "with support from the {ORG}", "in cooperation with {COUNTRY2}",
         "following requests from residents", "at a ceremony in {CITY2}",
         "to create about {big} jobs", "in line with its {year2} targets",
         ", the official news agency reported", ", a spokesperson said", "on a trial basis",
         "after a public consultation", "to help exporters in {CITY}"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
MINISTRIES = ["finance", "commerce", "transport", "energy", "agriculture", "health",
              "education", "foreign affairs", "culture and tourism", "industry", "water resources",
              "labor", "science and technology", "environment", "housing"]
UNIVERSITIES = ["Tsinghua University", "Nazarbayev University", "the University of Nairobi",
                "Universitas Indonesia", "Cairo University", "the University of Sao Paulo",
                "the Australian National University", "Vietnam National University",
                "Peking University", "the University of Belgrade", "Fudan University"]
SEASONS = ["harvest season", "holiday season", "summer peak", "rainy season", "winter",
           "Spring Festival travel rush", "tourist season", "end of the fiscal year"]
